package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.SocketFds;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An sk_lookup program ({@code SEC("sk_lookup")}, kernel 5.9+, which every leg has) attached to a
 * network namespace of the test's own ({@link NetNamespace}) steers TCP connections to a port
 * nobody listens on to a listening socket held in a SOCKMAP ({@code bpf_sk_assign}), as mainline's
 * selftests {@code test_sk_lookup} do: the clients connect, the listener accepts them, and the
 * program counts each.
 */
@RequiresBpf
class SkLookupAttachTest {

    @Test
    void connectionsToAPortNobodyListensOnReachTheListenerInTheSockmapUntilTheLinkCloses() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("sk_lookup"));
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int unlistened = freePort(loopback);
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("steer_to_listener");
                 BpfMap listeners = loaded.map("listeners");
                 ServerSocket listener = new ServerSocket(0, 8, loopback)) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("steered_port", unlistened);
                try (Arena arena = Arena.ofConfined()) {
                    listeners.update(arena.allocateFrom(ValueLayout.JAVA_INT, 0),
                            arena.allocateFrom(ValueLayout.JAVA_LONG, SocketFds.tcpListenerFd(listener.getLocalPort())));
                }
                listener.setSoTimeout(5000);
                try (Link link = program.attachSkLookup(SkLookupAttach.THIS_THREADS_NAMESPACE)) {
                    for (int i = 0; i < 3; i++) {
                        try (Socket client = new Socket(loopback, unlistened); Socket accepted = listener.accept()) {
                            assertThat(accepted.getLocalPort()).as("the connection keeps the port it was made to")
                                    .isEqualTo(unlistened);
                            assertThat(accepted.getPort()).isEqualTo(client.getLocalPort());
                        }
                    }
                    assertThat(bss.getLong("steered_connections")).isEqualTo(3);
                    assertThat(bss.getLong("assign_failures")).isZero();
                }
                assertThatThrownBy(() -> new Socket(loopback, unlistened).close())
                        .as("nobody listens there once the link closed").isInstanceOf(ConnectException.class);
                assertThat(bss.getLong("steered_connections")).isEqualTo(3);
            }
        });
    }

    @Test
    void aFileThatIsNoNetworkNamespaceIsRefusedNamingWhatToUse() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("sk_lookup")));
                 BpfProgram program = loaded.program("steer_to_listener")) {
                assertThatThrownBy(() -> program.attachSkLookup(Path.of("/proc/thread-self/ns/uts")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("sk_lookup in network namespace /proc/thread-self/ns/uts: BPF_LINK_CREATE refused with EINVAL: "
                                + "the file is no network namespace (use /proc/PID/ns/net or /run/netns/NAME) or the program is "
                                + "not an SK_LOOKUP one (load it from a SEC(\"sk_lookup\") section)");
                assertThatThrownBy(() -> loaded.attach("steer_to_listener"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("attachSkLookup(networkNamespace)");
            }
        });
    }

    /** A port of {@code address} nobody listens on: bound once by the system's choice, then let go. */
    private static int freePort(InetAddress address) throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }
}

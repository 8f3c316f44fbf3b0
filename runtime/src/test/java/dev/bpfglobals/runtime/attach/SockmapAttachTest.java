package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.SocketFds;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * An sk_msg and an sk_skb/stream_verdict program attach to a SOCKMAP with links (6.10+) and count
 * what a loopback TCP connection of this JVM, both of whose ends are in the map, sends and receives;
 * the data still arrives whole. Once the links close, sockets put in the map later are not counted
 * (a socket keeps the programs its map had when it was put there, as the kernel keeps them). Kernels
 * without sockmap links refuse the attach, naming 6.10.
 */
@RequiresBpf
class SockmapAttachTest {

    private static final byte[] MESSAGE = "three messages of 24 b.\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void theMapsProgramsCountAConnectionsMessagesAndBytesUntilTheirLinksClose() throws Exception {
        Loopback.ensureUp();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("sockmap"));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram sends = loaded.program("count_sends");
             BpfProgram receives = loaded.program("count_receives");
             BpfMap sockets = loaded.map("sockets");
             ServerSocket listener = new ServerSocket(0, 8, loopback);
             Socket client = new Socket(loopback, listener.getLocalPort());
             Socket accepted = listener.accept()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            if (!KernelExpectations.has(Feature.SOCKMAP_LINK)) {
                assertThatThrownBy(() -> sends.attachSockmap(sockets, SockmapHook.MSG_VERDICT).close())
                        .isInstanceOf(BpfException.class).hasMessageContaining("EINVAL").hasMessageContaining("6.10+");
                return;
            }
            try (Link onSend = sends.attachSockmap(sockets, SockmapHook.MSG_VERDICT);
                 Link onReceive = receives.attachSockmap(sockets, SockmapHook.STREAM_VERDICT)) {
                put(sockets, 0, SocketFds.tcpConnectedFd(client.getLocalPort()));
                put(sockets, 1, SocketFds.tcpConnectedFd(accepted.getLocalPort()));
                exchange(client, accepted, 3);
                assertThat(bss.getLong("messages_sent")).isEqualTo(3);
                assertThat(bss.getLong("bytes_sent")).isEqualTo(3L * MESSAGE.length);
                assertThat(bss.getLong("bytes_received")).isEqualTo(3L * MESSAGE.length);
            }
            // A socket keeps the programs its map had when it was put there: a closed link stops them for sockets put later.
            try (ServerSocket laterListener = new ServerSocket(0, 8, loopback);
                 Socket laterClient = new Socket(loopback, laterListener.getLocalPort());
                 Socket laterAccepted = laterListener.accept()) {
                put(sockets, 0, SocketFds.tcpConnectedFd(laterClient.getLocalPort()));
                put(sockets, 1, SocketFds.tcpConnectedFd(laterAccepted.getLocalPort()));
                exchange(laterClient, laterAccepted, 1);
            }
            assertThat(bss.getLong("messages_sent")).as("nothing counted once the links closed").isEqualTo(3);
            assertThat(bss.getLong("bytes_received")).isEqualTo(3L * MESSAGE.length);
        }
    }

    /** Writes {@code count} messages on {@code from}, each flushed alone, and reads them all whole on {@code to}. */
    private static void exchange(Socket from, Socket to, int count) throws Exception {
        OutputStream out = from.getOutputStream();
        InputStream in = to.getInputStream();
        to.setSoTimeout(10_000);
        for (int i = 0; i < count; i++) {
            out.write(MESSAGE);
            out.flush();
            assertThat(in.readNBytes(MESSAGE.length)).isEqualTo(MESSAGE);
        }
    }

    private static void put(BpfMap sockets, int slot, int socketFd) {
        try (Arena arena = Arena.ofConfined()) {
            sockets.update(arena.allocateFrom(ValueLayout.JAVA_INT, slot), arena.allocateFrom(ValueLayout.JAVA_LONG, socketFd));
        }
    }
}

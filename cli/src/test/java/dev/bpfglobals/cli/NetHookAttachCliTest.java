package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.SocketFds;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code attach --netfilter} and {@code attach --netns}: pinned netfilter and sk_lookup links, made
 * in a network namespace of the test's own, keep counting real datagrams and steering real
 * connections after the tool returned, until {@code detach}.
 */
@RequiresBpf
class NetHookAttachCliTest extends PinningCliTest {

    @Override
    protected String pinName() {
        return "cli-nethook";
    }

    @Test
    void attachNetfilterPinsALinkThatCountsDatagramsAtItsHookUntilDetach() throws Exception {
        NetNamespace.run(() -> {
            Path object = BpfObjects.compileRuntimeVariant("netfilter", "cli");
            try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                int loaded = run("load", object.toString(), "--pin", pins.toString(), "--set", ".bss.target_port=" + receiver.getLocalPort());
                if (!KernelExpectations.has(Feature.NETFILTER)) {
                    assertThat(loaded).isNotZero();
                    assertThat(err.toString()).contains("does not know program type NETFILTER").contains("need kernel 6.4+");
                    return;
                }
                assertThat(loaded).as(err.toString()).isZero();
                String program = pins.resolve("progs/count_udp_in").toString();
                assertThat(run("attach", program, "--netfilter", "ipv4:local_out:x")).isNotZero();
                assertThat(err.toString()).contains("--netfilter ipv4:local_out:x: PRIORITY is a whole number");
                assertThat(run("attach", program, "--netfilter", "ipv4:local_in:-128")).as(err.toString()).isZero();
                Path link = pins.resolve("links/count_udp_in");
                assertThat(out.toString()).contains("attached program count_udp_in (NETFILTER, id ").contains("link pinned at " + link);
                try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE)) {
                    GlobalView counts = view(object, bss);
                    Loopback.sendAndReceive(sender, receiver, 5);
                    assertThat(counts.getLong("netfilter_datagrams")).as("counted after the tool returned").isEqualTo(5);
                    assertThat(run("detach", link.toString())).as(err.toString()).isZero();
                    Loopback.sendAndReceive(sender, receiver, 2);
                    assertThat(counts.getLong("netfilter_datagrams")).as("no count once detached").isEqualTo(5);
                }
            }
        });
    }

    @Test
    void attachNetnsPinsAnSkLookupLinkThatSteersConnectionsUntilDetach() throws Exception {
        NetNamespace.run(() -> {
            Path object = BpfObjects.compileRuntimeVariant("sk_lookup", "cli");
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int unlistened;
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                unlistened = probe.getLocalPort();
            }
            try (ServerSocket listener = new ServerSocket(0, 8, loopback)) {
                listener.setSoTimeout(5000);
                assertThat(run("load", object.toString(), "--pin", pins.toString(), "--set", ".bss.steered_port=" + unlistened))
                        .as(err.toString()).isZero();
                String program = pins.resolve("progs/steer_to_listener").toString();
                assertThat(run("attach", program)).isNotZero();
                assertThat(err.toString()).contains("give --netns PATH to attach it to");
                assertThat(run("attach", program, "--netns", "/proc/thread-self/ns/net")).as(err.toString()).isZero();
                Path link = pins.resolve("links/steer_to_listener");
                try (BpfMap listeners = BpfMap.openPinned(pins.resolve("maps/listeners"), MapAccess.READ_WRITE);
                     BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE);
                     Arena arena = Arena.ofConfined()) {
                    listeners.update(arena.allocateFrom(ValueLayout.JAVA_INT, 0),
                            arena.allocateFrom(ValueLayout.JAVA_LONG, SocketFds.tcpListenerFd(listener.getLocalPort())));
                    GlobalView counts = view(object, bss);
                    for (int i = 0; i < 2; i++) {
                        try (Socket client = new Socket(loopback, unlistened); Socket accepted = listener.accept()) {
                            assertThat(accepted.getLocalPort()).isEqualTo(unlistened);
                        }
                    }
                    assertThat(counts.getLong("steered_connections")).isEqualTo(2);
                    assertThat(run("detach", link.toString())).as(err.toString()).isZero();
                    assertThatThrownBy(() -> new Socket(loopback, unlistened).close()).isInstanceOf(ConnectException.class);
                }
            }
        });
    }

    private static GlobalView view(Path object, BpfMap bss) throws Exception {
        return new GlobalView(bss.mmap(Arena.ofAuto()), ObjectSpec.open(object).globalSection(".bss").orElseThrow());
    }
}

package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.SocketFds;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * A TCX ingress program on {@code lo} counts the UDP datagrams this JVM sends itself on one port,
 * and a socket filter on the receiving socket counts the packets that socket gets; closing their
 * links stops both counts.
 */
@RequiresBpf
class NetAttachTest {

    @org.junit.jupiter.api.BeforeAll
    static void loopbackUp() throws Exception {
        Loopback.ensureUp();
    }

    @Test
    void aTcxIngressProgramOnLoopbackCountsDatagramsToOnePortUntilItsLinkCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("count_udp");
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_port", receiver.getLocalPort());
            if (!KernelExpectations.has(Feature.TCX)) {
                // Kernels before 6.6 (the 6.1 of bin/kernel-vm) have no TCX; the refusal names attachTc, which attaches
                // a clsact filter there (ClsactAttachTest counts with it).
                assertThatThrownBy(() -> program.attachTcx("lo", TcxDirection.INGRESS))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("has no TCX (6.6+)")
                        .hasMessageContaining("attachTc(\"lo\", TcxDirection.INGRESS) attaches it as a clsact filter");
                return;
            }
            try (Link link = program.attachTcx("lo", TcxDirection.INGRESS)) {
                Loopback.sendAndReceive(sender, receiver, 6);
                assertThat(bss.getLong("tcx_datagrams")).isEqualTo(6);
            }
            Loopback.sendAndReceive(sender, receiver, 2);
            assertThat(bss.getLong("tcx_datagrams")).as("no count after the link closed").isEqualTo(6);
        }
    }

    @Test
    void aSocketFilterCountsThePacketsItsSocketReceivesUntilItsLinkCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("count_socket");
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (Link link = program.attachSocket(SocketFds.udpSocketFd(receiver.getLocalPort()))) {
                Loopback.sendAndReceive(sender, receiver, 5);
                assertThat(bss.getLong("filtered_packets")).isEqualTo(5);
            }
            Loopback.sendAndReceive(sender, receiver, 3);
            assertThat(bss.getLong("filtered_packets")).as("no count after the link closed").isEqualTo(5);
        }
    }

    @Test
    void aProgramTheKernelRefusesForTcxIsNotReportedAsAKernelWithoutTcx() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram socketFilter = loaded.program("count_socket")) {
            var refusal = assertThatThrownBy(() -> socketFilter.attachTcx("lo", TcxDirection.INGRESS));
            if (KernelExpectations.has(Feature.TCX)) {
                // The kernel knows TCX and refuses this SOCKET_FILTER program: its own EINVAL, not a missing feature.
                refusal.isInstanceOf(dev.bpfglobals.runtime.kernel.BpfException.class)
                        .hasMessageContaining("BPF_LINK_CREATE failed with EINVAL")
                        .hasMessageNotContaining("has no TCX");
            } else {
                refusal.isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("has no TCX (6.6+)");
            }
        }
    }

    @Test
    void anInterfaceThatDoesNotExistIsRefusedNamingIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram program = loaded.program("count_udp")) {
            assertThatThrownBy(() -> program.attachTcx("nosuchif0", TcxDirection.INGRESS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no network interface 'nosuchif0'");
        }
    }

    @Test
    void aSectionWithoutATargetNamesTheMethodThatTakesOne() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")))) {
            assertThatThrownBy(() -> loaded.attach("count_udp"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("program 'count_udp' in section 'tcx/ingress' cannot be attached from its section name alone")
                    .hasMessageContaining("attachTcx(interfaceName, TcxDirection.INGRESS or EGRESS)");
        }
    }
}

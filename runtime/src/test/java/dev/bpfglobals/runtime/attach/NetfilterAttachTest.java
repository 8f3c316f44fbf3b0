package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A netfilter program ({@code SEC("netfilter")}, kernel 6.4+) at IPv4's LOCAL_IN hook of a network
 * namespace of the test's own ({@link NetNamespace}) counts the UDP datagrams to one port, and drops
 * them when told to, so that they never arrive. A leg whose kernel lacks netfilter programs (6.1)
 * asserts the load's named refusal instead.
 */
@RequiresBpf
class NetfilterAttachTest {

    @Test
    void aLocalInProgramCountsTheDatagramsToItsPortAndDropsThemWhenToldUntilItsLinkCloses() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("netfilter"));
            if (!KernelExpectations.has(Feature.NETFILTER)) {
                assertThatThrownBy(() -> LoadedObject.load(object).close())
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageStartingWith("program 'count_udp_in' in section 'netfilter': this kernel (")
                        .hasMessageContaining("does not know program type NETFILTER")
                        .hasMessageEndingWith("netfilter programs need kernel 6.4+");
                return;
            }
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("count_udp_in");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                try (Link link = program.attachNetfilter(NetfilterFamily.IPV4, NetfilterHook.LOCAL_IN, -128)) {
                    assertThat(link.info().typeName()).isEqualTo("netfilter");
                    Loopback.sendAndReceive(sender, receiver, 4);
                    assertThat(bss.getLong("netfilter_datagrams")).isEqualTo(4);

                    bss.setInt("drop", 1);
                    send(sender, receiver, 3);
                    receiver.setSoTimeout(300);
                    assertThatThrownBy(() -> receiver.receive(new DatagramPacket(new byte[64], 64)))
                            .as("NF_DROP: the datagrams never arrive").isInstanceOf(SocketTimeoutException.class);
                    assertThat(bss.getLong("netfilter_datagrams")).isEqualTo(7);
                }
                Loopback.sendAndReceive(sender, receiver, 2);
                assertThat(bss.getLong("netfilter_datagrams")).as("no count nor drop after the link closed").isEqualTo(7);
            }
        });
    }

    @Test
    void aPriorityTheKernelKeepsForItselfIsRefusedBeforeTheKernelIsAsked() throws Exception {
        if (!KernelExpectations.has(Feature.NETFILTER)) {
            return; // the refusal of its load is the test above's
        }
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("netfilter")));
                 BpfProgram program = loaded.program("count_udp_in")) {
                assertThatThrownBy(() -> program.attachNetfilter(NetfilterFamily.IPV4, NetfilterHook.LOCAL_IN, Integer.MIN_VALUE))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("netfilter IPV4 LOCAL_IN priority -2147483648: the kernel keeps priorities -2147483648 and "
                                + "2147483647 (NF_IP_PRI_FIRST, NF_IP_PRI_LAST) for itself; choose one between them");
                assertThatThrownBy(() -> loaded.attach("count_udp_in"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot be attached from its section name alone")
                        .hasMessageContaining("attachNetfilter(family, hook, priority)");
            }
        });
    }

    @Test
    void aProgramOfAnotherTypeIsRefusedNamingTheSectionToLoadItFrom() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram xdp = loaded.program("count_xdp")) {
                assertThatThrownBy(() -> xdp.attachNetfilter(NetfilterFamily.IPV6, NetfilterHook.PRE_ROUTING, 10))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("netfilter IPV6 PRE_ROUTING priority 10: BPF_LINK_CREATE refused with EINVAL: the program "
                                + "is not a NETFILTER one (load it from a SEC(\"netfilter\") section)");
            }
        });
    }

    private static void send(DatagramSocket sender, DatagramSocket receiver, int count) throws java.io.IOException {
        for (int i = 0; i < count; i++) {
            sender.send(new DatagramPacket(new byte[] {1}, 1, receiver.getLocalSocketAddress()));
        }
    }
}

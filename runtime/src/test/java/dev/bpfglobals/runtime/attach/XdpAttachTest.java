package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * XDP programs attached to an interface with an XDP link ({@code BPF_LINK_CREATE} with
 * {@code BPF_XDP}, kernel 5.9+, which every CI leg has). Every test runs in a network namespace of
 * its own ({@link NetNamespace}): on its {@code lo} in generic mode, and on a veth pair made there
 * in the driver's mode, counting real UDP datagrams. Which program an interface runs is read back
 * over rtnetlink and cross-checked with {@code ip link show}, forked by the namespace's thread.
 */
@RequiresBpf
class XdpAttachTest {

    /** An address on the veth pair's subnet that no interface has: datagrams to it leave v0 for v1. */
    private static final String NOBODY = "10.9.0.99";
    private static final String V1_MAC = "02:00:00:00:09:01";

    @Test
    void genericXdpOnLoCountsTheDatagramsUntilItsLinkCloses() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("count_xdp");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                try (Link link = program.attachXdp("lo", XdpMode.GENERIC)) {
                    Loopback.sendAndReceive(sender, receiver, 7);
                    assertThat(bss.getLong("xdp_datagrams")).isEqualTo(7);
                }
                Loopback.sendAndReceive(sender, receiver, 3);
                assertThat(bss.getLong("xdp_datagrams")).as("no count after the link closed").isEqualTo(7);
            }
        });
    }

    @Test
    void theAttachedProgramIsReadBackAsIpLinkShowsIt() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_xdp")) {
                assertThat(XdpAttach.attachedProgramId("lo")).isEmpty();
                try (Link link = program.attachXdp("lo", XdpMode.GENERIC)) {
                    assertThat(XdpAttach.attachedProgramId("lo")).hasValue(program.info().id());
                    assertThat(ip("link", "show", "dev", "lo")).contains("xdpgeneric")
                            .contains("prog/xdp id " + program.info().id() + " ");
                }
                assertThat(XdpAttach.attachedProgramId("lo")).as("nothing once the link closed").isEmpty();
                assertThat(ip("link", "show", "dev", "lo")).doesNotContain("prog/xdp");
            }
        });
    }

    @Test
    void driverXdpOnAVethCountsTheDatagramsItsPeerSends() throws Exception {
        NetNamespace.run(() -> {
            makeVethPair();
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("count_xdp");
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", 4789);
                try (Link link = program.attachXdp("v1", XdpMode.DRIVER)) {
                    assertThat(XdpAttach.attachedProgramId("v1")).hasValue(program.info().id());
                    assertThat(ip("link", "show", "dev", "v1")).doesNotContain("xdpgeneric")
                            .contains("prog/xdp id " + program.info().id() + " ");
                    send(sender, 5);
                    awaitCount(bss, 5);
                }
                assertThat(XdpAttach.attachedProgramId("v1")).isEmpty();
                send(sender, 2);
                Thread.sleep(200); // time enough for datagrams that would be counted
                assertThat(bss.getLong("xdp_datagrams")).as("no count after the link closed").isEqualTo(5);
            }
        });
    }

    @Test
    void withoutModeTheKernelChoosesTheDriversHookWhereThereIsOne() throws Exception {
        NetNamespace.run(() -> {
            makeVethPair();
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_xdp");
                 Link onVeth = program.attachXdp("v1");
                 Link onLo = program.attachXdp("lo")) {
                assertThat(ip("link", "show", "dev", "v1")).doesNotContain("xdpgeneric").contains("prog/xdp id ");
                assertThat(ip("link", "show", "dev", "lo")).as("lo has no driver hook").contains("xdpgeneric");
            }
        });
    }

    @Test
    void aSecondProgramInTheSameModeIsRefusedWithEbusyNamingTheFirst() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_xdp");
                 Link first = program.attachXdp("lo", XdpMode.GENERIC)) {
                assertThatThrownBy(() -> program.attachXdp("lo", XdpMode.GENERIC))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("BPF_LINK_CREATE failed with EBUSY")
                        .hasMessageContaining("an XDP program is already attached to lo in mode GENERIC (id "
                                + program.info().id() + ")")
                        .hasMessageContaining("close its link");
                assertThat(XdpAttach.attachedProgramId("lo")).hasValue(program.info().id());
            }
        });
    }

    @Test
    void theLinksProgramIsReplacedInPlaceWhereItRunsTheExpectedOne() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram first = loaded.program("count_xdp");
                 BpfProgram replacement = loaded.program("count_xdp_replacement");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                try (Link link = first.attachXdp("lo", XdpMode.GENERIC)) {
                    Loopback.sendAndReceive(sender, receiver, 2);
                    replacement.replaceXdp(link, first);
                    assertThat(XdpAttach.attachedProgramId("lo")).hasValue(replacement.info().id());
                    assertThat(ip("link", "show", "dev", "lo")).contains("prog/xdp id " + replacement.info().id() + " ");
                    Loopback.sendAndReceive(sender, receiver, 3);
                    assertThat(bss.getLong("xdp_datagrams")).as("the first program, until replaced").isEqualTo(2);
                    assertThat(bss.getLong("xdp_replacement_datagrams")).as("the replacement, since").isEqualTo(3);
                    assertThatThrownBy(() -> first.replaceXdp(link, first))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("BPF_LINK_UPDATE failed with EPERM")
                            .hasMessageContaining("its interface runs id " + replacement.info().id());
                }
                assertThat(XdpAttach.attachedProgramId("lo")).as("closing the link detaches the replacement").isEmpty();
            }
        });
    }

    @Test
    void aLinkOtherThanAnXdpOneIsNotReplacedThere() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram tc = loaded.program("count_tc_ingress");
                 BpfProgram xdp = loaded.program("count_xdp");
                 Link link = tc.attachTc("lo", TcxDirection.INGRESS)) { // TCX or a clsact filter, by kernel
                assertThatThrownBy(() -> xdp.replaceXdp(link, tc))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(" of lo")
                        .hasMessageEndingWith("] is not an XDP link: only links attachXdp made are replaced here");
            }
        });
    }

    /** The way of kernels before 5.9, asked for directly: every CI leg's kernel has XDP links. */
    @Test
    void overNetlinkAsBeforeXdpLinksTheProgramCountsUntilItsLinkCloses() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("count_xdp");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                int lo = TcAttach.interfaceIndex("lo");
                try (Link link = XdpAttach.attachThroughNetlink(program.fd(), program.info(), lo, "lo", XdpMode.GENERIC)) {
                    assertThat(XdpAttach.attachedProgramId("lo")).hasValue(program.info().id());
                    assertThat(ip("link", "show", "dev", "lo")).contains("xdpgeneric")
                            .contains("prog/xdp id " + program.info().id() + " ");
                    Loopback.sendAndReceive(sender, receiver, 4);
                    assertThat(bss.getLong("xdp_datagrams")).isEqualTo(4);
                    assertThatThrownBy(() -> XdpAttach.attachThroughNetlink(program.fd(), program.info(), lo, "lo",
                            XdpMode.GENERIC))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("RTM_SETLINK IFLA_XDP failed with EBUSY")
                            .hasMessageContaining("an XDP program is already attached to lo in mode GENERIC (id "
                                    + program.info().id() + ")");
                    assertThatThrownBy(() -> program.replaceXdp(link, program))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("was attached over netlink");
                }
                assertThat(XdpAttach.attachedProgramId("lo")).as("removed when its link closed").isEmpty();
                assertThat(ip("link", "show", "dev", "lo")).doesNotContain("prog/xdp");
                Loopback.sendAndReceive(sender, receiver, 2);
                assertThat(bss.getLong("xdp_datagrams")).as("no count after the link closed").isEqualTo(4);
            }
        });
    }

    @Test
    void overNetlinkDriverModeOnLoIsRefusedNamingGeneric() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_xdp")) {
                assertThatThrownBy(() -> XdpAttach.attachThroughNetlink(program.fd(), program.info(),
                        TcAttach.interfaceIndex("lo"), "lo", XdpMode.DRIVER))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("RTM_SETLINK IFLA_XDP failed with EOPNOTSUPP")
                        .hasMessageContaining("attach in XdpMode.GENERIC");
            }
        });
    }

    @Test
    void driverModeOnAnInterfaceWithoutANativeHookIsRefusedNamingGeneric() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_xdp")) {
                assertThatThrownBy(() -> program.attachXdp("lo", XdpMode.DRIVER))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("BPF_LINK_CREATE failed with EOPNOTSUPP")
                        .hasMessageContaining("lo's driver has no native XDP hook for mode DRIVER")
                        .hasMessageContaining("attach in XdpMode.GENERIC");
            }
        });
    }

    @Test
    void anInterfaceThatDoesNotExistIsRefusedNamingIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram program = loaded.program("count_xdp")) {
            assertThatThrownBy(() -> program.attachXdp("nosuchif0", XdpMode.GENERIC))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no network interface 'nosuchif0'");
            assertThatThrownBy(() -> XdpAttach.attachedProgramId("nosuchif0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no network interface 'nosuchif0'");
        }
    }

    @Test
    void aProgramThatIsNotXdpIsRefusedBeforeTheKernelIsAsked() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram socketFilter = loaded.program("count_socket")) {
            assertThatThrownBy(() -> socketFilter.attachXdp("lo"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'count_socket' has kernel program type 1, not XDP (6): only xdp programs "
                            + "attach to lo");
        }
    }

    @Test
    void theXdpSectionNamesTheMethodThatTakesAnInterface() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")))) {
            assertThatThrownBy(() -> loaded.attach("count_xdp"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("program 'count_xdp' in section 'xdp' cannot be attached from its section name alone")
                    .hasMessageContaining("attachXdp(interfaceName, XdpMode)");
        }
    }

    /** v0 and v1, both up; datagrams to {@link #NOBODY} go out of v0 to v1's address, so v1 receives them. */
    private static void makeVethPair() throws Exception {
        ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ip("link", "set", "v1", "address", V1_MAC);
        ip("address", "add", "10.9.0.1/24", "dev", "v0");
        ip("link", "set", "v0", "up");
        ip("link", "set", "v1", "up");
        ip("neighbour", "add", NOBODY, "lladdr", V1_MAC, "dev", "v0", "nud", "permanent");
    }

    private static void send(DatagramSocket sender, int count) throws Exception {
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(NOBODY, 4789)));
        }
    }

    /** Waits (5 s at most) for the count to reach {@code expected}, then checks it went no further. */
    private static void awaitCount(GlobalView bss, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bss.getLong("xdp_datagrams") < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertThat(bss.getLong("xdp_datagrams")).isEqualTo(expected);
    }

    /** Runs ip, forked by this thread and so in its network namespace; its output. */
    private static String ip(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ip.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }
}

package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.internal.kernelenv.ClsactFilters;
import dev.bpfglobals.runtime.internal.kernelenv.NetlinkSocket;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.NetlinkException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.ThreadCapabilities;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tc programs attached as classic clsact filters over rtnetlink (the way before TCX, kernel 6.6),
 * and {@code attachTc} choosing TCX or that way by what the kernel has. Every test runs in a network
 * namespace of its own ({@link NetNamespace}), on its {@code lo}: the UDP datagrams it sends itself
 * pass the egress hook, then the ingress hook, and never leave the namespace. What tc would show is
 * read back through the same netlink client (an RTM_GETTFILTER dump), and by {@code tc} itself where
 * it is installed.
 */
@RequiresBpf
class ClsactAttachTest {

    @Test
    void classicFiltersOnIngressAndEgressCountTheDatagramsUntilTheirLinksClose() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram ingress = loaded.program("count_tc_ingress");
                 BpfProgram egress = loaded.program("count_tc_egress");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                try (Link in = ingress.attachTcClassic("lo", TcxDirection.INGRESS);
                     Link out = egress.attachTcClassic("lo", TcxDirection.EGRESS)) {
                    assertThat(filters(true)).singleElement().satisfies(f -> assertIsDirectActionFilterOf(f, ingress));
                    assertThat(filters(false)).singleElement().satisfies(f -> assertIsDirectActionFilterOf(f, egress));
                    assertTcShows("ingress", ingress);
                    Loopback.sendAndReceive(sender, receiver, 7);
                    assertThat(bss.getLong("tc_ingress_datagrams")).isEqualTo(7);
                    assertThat(bss.getLong("tc_egress_datagrams")).isEqualTo(7);
                }
                assertThat(filters(true)).as("the ingress filter is deleted when its link closes").isEmpty();
                assertThat(filters(false)).as("the egress filter is deleted when its link closes").isEmpty();
                Loopback.sendAndReceive(sender, receiver, 3);
                assertThat(bss.getLong("tc_ingress_datagrams")).as("no count after the link closed").isEqualTo(7);
                assertThat(bss.getLong("tc_egress_datagrams")).as("no count after the link closed").isEqualTo(7);
            }
        });
    }

    @Test
    void attachTcUsesTcxWhereTheKernelHasItAndAClsactFilterWhereItDoesNot() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            try (LoadedObject loaded = LoadedObject.load(object);
                 BpfProgram program = loaded.program("count_tc_ingress");
                 DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                bss.setInt("target_port", receiver.getLocalPort());
                boolean tcx = KernelExpectations.has(Feature.TCX);
                try (Link link = program.attachTc("lo", TcxDirection.INGRESS)) {
                    List<ClsactFilters.Filter> filters = filters(true);
                    if (tcx) {
                        assertThat(filters).as("through TCX, no tc filter").isEmpty();
                    } else {
                        assertThat(filters).as("without TCX, a clsact filter").singleElement()
                                .satisfies(f -> assertIsDirectActionFilterOf(f, program));
                    }
                    Loopback.sendAndReceive(sender, receiver, 4);
                    assertThat(bss.getLong("tc_ingress_datagrams")).isEqualTo(4);
                }
                assertThat(filters(true)).isEmpty();
                Loopback.sendAndReceive(sender, receiver, 2);
                assertThat(bss.getLong("tc_ingress_datagrams")).as("no count after the link closed").isEqualTo(4);
            }
        });
    }

    @Test
    void aSecondFilterAtTheSamePriorityAndHandleIsRefusedWithEexistNamingIt() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_tc_ingress");
                 Link first = program.attachTcClassic("lo", TcxDirection.INGRESS, 7, 3)) {
                assertThatThrownBy(() -> program.attachTcClassic("lo", TcxDirection.INGRESS, 7, 3))
                        .isInstanceOf(NetlinkException.class)
                        .satisfies(e -> assertThat(((NetlinkException) e).errno()).isEqualTo(Errno.EEXIST))
                        .hasMessageContaining("RTM_NEWTFILTER bpf failed with EEXIST")
                        .hasMessageContaining("a filter is already at priority 7 handle 3 of lo ingress");
                assertThat(filters(true)).singleElement().satisfies(f -> {
                    assertThat(f.priority()).isEqualTo(7);
                    assertThat(f.handle()).isEqualTo(3);
                });
                // Another handle at that priority is another filter, beside the first.
                try (Link second = program.attachTcClassic("lo", TcxDirection.INGRESS, 7, 4)) {
                    assertThat(filters(true)).extracting(ClsactFilters.Filter::handle).containsExactlyInAnyOrder(3, 4);
                }
                assertThat(filters(true)).extracting(ClsactFilters.Filter::handle).containsExactly(3);
            }
        });
    }

    @Test
    void withoutCapNetAdminTheClsactQdiscIsRefusedWithEpermNamingTheCapability() throws Exception {
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
                 BpfProgram program = loaded.program("count_tc_ingress")) {
                ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_NET_ADMIN); // this thread only, which ends with the test
                assertThatThrownBy(() -> program.attachTcClassic("lo", TcxDirection.INGRESS))
                        .isInstanceOf(NetlinkException.class)
                        .satisfies(e -> assertThat(((NetlinkException) e).errno()).isEqualTo(Errno.EPERM))
                        .hasMessageContaining("RTM_NEWQDISC clsact failed with EPERM")
                        .hasMessageContaining("this process lacks CAP_NET_ADMIN");
            }
        });
    }

    @Test
    void aProgramThatIsNotSchedClsIsRefusedBeforeTheKernelIsAsked() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram socketFilter = loaded.program("count_socket")) {
            assertThatThrownBy(() -> socketFilter.attachTcClassic("lo", TcxDirection.INGRESS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'count_socket' has kernel program type 1, not SCHED_CLS (3): only tc and tcx/ "
                            + "programs attach to INGRESS of lo");
            assertThatThrownBy(() -> socketFilter.attachTc("lo", TcxDirection.EGRESS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not SCHED_CLS");
        }
    }

    @Test
    void anInterfaceThatDoesNotExistIsRefusedNamingIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")));
             BpfProgram program = loaded.program("count_tc_ingress")) {
            assertThatThrownBy(() -> program.attachTcClassic("nosuchif0", TcxDirection.INGRESS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no network interface 'nosuchif0'");
            assertThatThrownBy(() -> program.attachTc("nosuchif0", TcxDirection.EGRESS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no network interface 'nosuchif0'");
        }
    }

    @Test
    void aTcSectionNamesTheMethodThatTakesAnInterface() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("net")))) {
            assertThatThrownBy(() -> loaded.attach("count_tc_ingress"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in section 'tc' cannot be attached from its section name alone")
                    .hasMessageContaining("attachTc(interfaceName, TcxDirection.INGRESS or EGRESS)");
        }
    }

    private static void assertIsDirectActionFilterOf(ClsactFilters.Filter filter, BpfProgram program) {
        int id = program.info().id();
        assertThat(filter.kind()).isEqualTo("bpf");
        assertThat(filter.programId()).isEqualTo(id);
        assertThat(filter.name()).isEqualTo(program.info().name() + ":[" + id + "]");
        assertThat(filter.directAction()).isTrue();
        assertThat(filter.priority()).isEqualTo(1);
        assertThat(filter.handle()).isEqualTo(1);
        assertThat(filter.protocol()).as("ETH_P_ALL").isEqualTo(3);
    }

    /** What {@code tc filter show dev lo DIRECTION} prints, where iproute2 is installed: the same filter. */
    private static void assertTcShows(String direction, BpfProgram program) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/tc")) && !Files.isExecutable(Path.of("/sbin/tc"))) {
            return; // the netlink dump above is the check; tc only cross-checks it
        }
        // The child is forked by this thread, so it runs in this thread's network namespace.
        Process tc = new ProcessBuilder("tc", "filter", "show", "dev", "lo", direction).redirectErrorStream(true).start();
        String shown = new String(tc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tc.waitFor()).as(shown).isZero();
        assertThat(shown).contains("bpf").contains("direct-action").contains("handle 0x1")
                .contains("id " + program.info().id());
    }

    private static List<ClsactFilters.Filter> filters(boolean ingress) {
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            return ClsactFilters.list(socket, Native.ifNameToIndex("lo"), ingress);
        }
    }
}

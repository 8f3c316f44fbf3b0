package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.XdpAttach;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import dev.bpfglobals.runtime.testing.Tracefs;
import java.lang.foreign.Arena;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code attach}, {@code detach} and {@code load --attach}: links pinned under {@code DIR/links}
 * keep real programs attached after the tool returned, counting real datagrams and system calls,
 * until {@code detach} or removing the pin directory lets them go.
 */
@RequiresBpf
class AttachCliTest extends PinningCliTest {

    @Override
    protected String pinName() {
        return "cli-attach";
    }

    @BeforeAll
    static void tracefs() throws Exception {
        Tracefs.ensureMounted();
    }

    @Test
    void attachPinsAnXdpLinkThatCountsDatagramsAfterTheToolReturnedUntilDetach() throws Exception {
        NetNamespace.run(() -> {
            Path object = BpfObjects.compileRuntimeVariant("net", "cli");
            try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                assertThat(run("load", object.toString(), "--pin", pins.toString(),
                        "--set", ".bss.target_port=" + receiver.getLocalPort())).as(err.toString()).isZero();
                assertThat(run("attach", pins.resolve("progs/count_xdp").toString(), "--iface", "lo", "--mode", "generic"))
                        .as(err.toString()).isZero();
                Path link = pins.resolve("links/count_xdp");
                assertThat(out.toString()).contains("attached program count_xdp (XDP, id ").contains("link pinned at " + link);
                assertThat(link).exists();
                // Held here too: detach must detach it all the same, whoever else holds it.
                try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE);
                     Link held = Link.openPinned(link)) {
                    GlobalView counts = view(object, bss);
                    Loopback.sendAndReceive(sender, receiver, 5);
                    assertThat(counts.getLong("xdp_datagrams")).as("counted after the tool returned").isEqualTo(5);
                    assertThat(XdpAttach.attachedProgramId("lo")).isPresent();

                    assertThat(run("detach", link.toString())).as(err.toString()).isZero();
                    assertThat(out.toString()).contains("detached xdp link").contains("removed " + link);
                    assertThat(link).doesNotExist();
                    Loopback.sendAndReceive(sender, receiver, 2);
                    assertThat(counts.getLong("xdp_datagrams")).as("no count once detached").isEqualTo(5);
                    assertThat(XdpAttach.attachedProgramId("lo")).isEmpty();
                }
            }
        });
    }

    @Test
    void attachOfATracepointProgramTakesItsSectionAsTargetAndRefusesWithoutIt() throws Exception {
        Path object = BpfObjects.compileRuntimeVariant("tracepoint", "cli");
        assertThat(run("load", object.toString(), "--pin", pins.toString(),
                "--set", ".bss.target_tgid=" + ProcessHandle.current().pid())).as(err.toString()).isZero();
        String program = pins.resolve("progs/on_enter").toString();

        assertThat(run("attach", program)).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .contains("is a TRACEPOINT program, which the kernel does not say where to attach: give TARGET");
        assertThat(run("attach", program, "xdp")).isEqualTo(1);
        assertThat(err.toString()).contains("section xdp is one of XDP programs");

        assertThat(run("attach", program, "tp/syscalls/sys_enter_getpid")).as(err.toString()).isZero();
        try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE)) {
            GlobalView counts = view(object, bss);
            Syscalls.getpid();
            Syscalls.getpid();
            assertThat(counts.getLong("enters")).isEqualTo(2);
            assertThat(run("detach", pins.resolve("links/on_enter").toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("detached perf_event link");
            awaitNoMoreCounts(counts, "enters");
            long stopped = counts.getLong("enters");
            Syscalls.getpid();
            assertThat(counts.getLong("enters")).as("no count once detached").isEqualTo(stopped);
        }
    }

    @Test
    void loadAttachAttachesEveryProgramWhoseSectionNamesItsTargetAndRemovingTheDirectoryDetaches() throws Exception {
        Path object = BpfObjects.compileRuntimeVariant("tracepoint", "cli");
        assertThat(run("load", object.toString(), "--pin", pins.toString(), "--attach",
                "--set", ".bss.target_tgid=" + ProcessHandle.current().pid())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("attached program on_enter; link pinned at " + pins.resolve("links/on_enter"))
                .contains("attached program on_exit; link pinned at " + pins.resolve("links/on_exit"));

        try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE)) {
            GlobalView counts = view(object, bss);
            for (int i = 0; i < 3; i++) {
                Syscalls.getpid();
            }
            assertThat(counts.getLong("enters")).isEqualTo(3);
            assertThat(counts.getLong("exits")).isEqualTo(3);

            removePins();
            awaitNoMoreCounts(counts, "enters");
            awaitNoMoreCounts(counts, "exits");
            long enters = counts.getLong("enters");
            long exits = counts.getLong("exits");
            Syscalls.getpid();
            assertThat(counts.getLong("enters")).as("rm -r DIR detached the programs").isEqualTo(enters);
            assertThat(counts.getLong("exits")).isEqualTo(exits);
        }
    }

    @Test
    void loadAttachRegistersAStructOpsLinkMapWhosePinnedLinkKeepsItRegisteredUntilRemoved() throws Exception {
        Path object = BpfObjects.compileRuntimeWithVmlinux("struct_ops_ca", "cli", "-DLINK", "-DCA_NAME=\"bgca_cli\"");
        if (!KernelExpectations.has(KernelExpectations.Feature.STRUCT_OPS_LINK)) {
            assertThat(run("load", object.toString(), "--pin", pins.toString(), "--attach")).isNotZero();
            assertThat(err.toString()).contains("struct_ops.link");
            return;
        }
        assertThat(run("load", object.toString(), "--pin", pins.toString(), "--attach")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("registered struct_ops map bg_ca; link pinned at " + pins.resolve("links/bg_ca"));
        assertThat(congestionControls()).as("registered after the tool returned").contains("bgca_cli");
        removePins();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (congestionControls().contains("bgca_cli") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(congestionControls()).as("rm -r DIR unregistered it").doesNotContain("bgca_cli");
    }

    private static java.util.List<String> congestionControls() throws java.io.IOException {
        return java.util.List.of(java.nio.file.Files.readString(
                Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control")).strip().split(" "));
    }

    /**
     * Waits (at most 5 s) until a getpid call no longer counts: the kernel frees an unpinned link
     * in a work item after its last hold goes, a moment after the pin is removed.
     */
    private static void awaitNoMoreCounts(GlobalView counts, String variable) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(5)) {
            long before = counts.getLong(variable);
            Syscalls.getpid();
            if (counts.getLong(variable) == before) {
                return;
            }
        }
        throw new AssertionError(variable + " still counts 5 s after the link's pin was removed");
    }

    private static GlobalView view(Path object, BpfMap bss) throws Exception {
        return new GlobalView(bss.mmap(Arena.ofAuto()), ObjectSpec.open(object).globalSection(".bss").orElseThrow());
    }
}

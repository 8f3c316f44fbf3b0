package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.Cgroups;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code load --attach --cgroup} and {@code attach --cgroup}: the cgroup hooks' programs attach
 * through the section table, each at the hook its section names, and their pinned links count a
 * child's calls in the test's own cgroup after the tool returned.
 */
@RequiresBpf
class CgroupHooksCliTest extends PinningCliTest {

    /** An IPv4 TCP connect to a listener of its own, and one sysctl read. */
    private static final String CALLS = """
            import socket
            server = socket.socket()
            server.bind(('127.0.0.1', 0))
            server.listen(1)
            client = socket.socket()
            client.connect(server.getsockname())
            sysctl = os.open('/proc/sys/kernel/ostype', os.O_RDONLY)
            os.read(sysctl, 64)
            os.close(sysctl)
            """;

    private Path cgroup;

    /** The object, without its unix program where the leg's kernel predates the unix hooks (6.7). */
    private static Path hooksObject() throws Exception {
        return KernelExpectations.has(KernelExpectations.Feature.CGROUP_UNIX) ? BpfObjects.compileRuntimeVariant("cgroup_hooks", "cli")
                : BpfObjects.compileRuntimeVariant("cgroup_hooks", "cli-no-unix", "-DNO_UNIX_HOOKS");
    }

    @Override
    protected String pinName() {
        return "cli-cgroup-hooks";
    }

    @BeforeEach
    void makeCgroup() throws Exception {
        Loopback.ensureUp();
        cgroup = Cgroups.create("cli");
    }

    @AfterEach
    void removeCgroup() throws Exception {
        Cgroups.remove(cgroup);
    }

    @Test
    void loadAttachWithACgroupAttachesEveryCgroupProgramAtItsSectionsHook() throws Exception {
        Path object = hooksObject();
        assertThat(run("load", object.toString(), "--pin", pins.toString(), "--attach", "--cgroup", cgroup.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("attached program count_connect4; link pinned at " + pins.resolve("links/count_connect4"))
                .contains("attached program count_tcp_connects; link pinned at " + pins.resolve("links/count_tcp_connects"));

        try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE)) {
            GlobalView counts = new GlobalView(bss.mmap(Arena.ofAuto()), ObjectSpec.open(object).globalSection(".bss").orElseThrow());
            Cgroups.runPythonInside(cgroup, CALLS);
            assertThat(counts.getLong("connect4_calls")).isEqualTo(1);
            assertThat(counts.getLong("tcp_connects")).isEqualTo(1);
            assertThat(counts.getLong("sysctl_calls")).isEqualTo(1);
        }
    }

    @Test
    void attachTakesTheHookFromTheSectionGivenAsTarget() throws Exception {
        Path object = hooksObject();
        assertThat(run("load", object.toString(), "--pin", pins.toString())).as(err.toString()).isZero();
        String program = pins.resolve("progs/count_sysctl").toString();
        assertThat(run("attach", program, "--cgroup", cgroup.toString())).as("no section given").isNotZero();
        assertThat(err.toString()).contains("is a CGROUP_SYSCTL program, which the kernel does not say where to attach: give TARGET");

        assertThat(run("attach", program, "cgroup/sysctl", "--cgroup", cgroup.toString())).as(err.toString()).isZero();
        try (BpfMap bss = BpfMap.openPinned(pins.resolve("maps/_bss"), MapAccess.READ_WRITE)) {
            GlobalView counts = new GlobalView(bss.mmap(Arena.ofAuto()), ObjectSpec.open(object).globalSection(".bss").orElseThrow());
            Cgroups.runPythonInside(cgroup, CALLS);
            assertThat(counts.getLong("sysctl_calls")).isEqualTo(1);
            assertThat(counts.getLong("connect4_calls")).as("not attached").isZero();
        }
    }

    @Test
    void aCgroupWithoutAttachIsAUsageError() throws Exception {
        Path object = hooksObject();
        assertThat(run("load", object.toString(), "--pin", pins.toString(), "--cgroup", cgroup.toString())).isNotZero();
        assertThat(err.toString()).contains("--cgroup PATH attaches cgroup programs, so it needs --attach");
    }
}

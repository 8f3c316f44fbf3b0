package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.Cgroups;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code lsm_cgroup/socket_bind} program loads against {@code bpf_lsm_socket_bind} with
 * {@code BPF_LSM_CGROUP}, attaches to a cgroup of the test's own at the hook its section names, and
 * counts the binds of a child in that cgroup and not this JVM's; where the kernel refuses BPF LSM
 * programs (this project's host), the load's refusal names it.
 */
@RequiresBpf
class LsmCgroupAttachTest {

    private static final String BINDS = """
            import socket
            for _ in range(3):
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', 0))
            """;

    private Path cgroup;

    @BeforeEach
    void makeCgroup() throws Exception {
        cgroup = Cgroups.create("lsm");
    }

    @AfterEach
    void removeCgroup() throws Exception {
        Cgroups.remove(cgroup);
    }

    @Test
    void aCgroupsBindsAreCountedAndNoOthersUntilTheLinkCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("lsm_cgroup"));
        assertThat(object.program("count_binds").orElseThrow().type()).isEqualTo(ProgramType.LSM);
        if (!KernelExpectations.has(Feature.LSM)) {
            assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("program 'count_binds' in section 'lsm_cgroup/socket_bind' was refused with EPERM")
                    .hasMessageContaining("refuses BPF LSM programs here");
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram binds = loaded.program("count_binds")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (Link link = binds.attachCgroup(cgroup, CgroupHook.ofSection("lsm_cgroup/socket_bind").orElseThrow())) {
                Cgroups.runPythonInside(cgroup, BINDS);
                try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    assertThat(outside.getLocalPort()).isPositive();
                }
                assertThat(bss.getLong("binds")).as("the child's three binds, not this JVM's").isEqualTo(3);
            }
            Cgroups.runPythonInside(cgroup, BINDS);
            assertThat(bss.getLong("binds")).as("nothing counted once the link closed").isEqualTo(3);
        }
    }
}

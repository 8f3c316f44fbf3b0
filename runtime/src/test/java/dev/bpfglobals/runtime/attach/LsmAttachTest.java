package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Securityfs;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * BPF LSM programs, loaded against {@code bpf_lsm_HOOK} and attached with BPF_LINK_CREATE of
 * {@code BPF_LSM_MAC} from their sections: {@code lsm/file_open} counts this test's opens of one file
 * exactly and refuses the opens of another with EACCES, which Java sees; the sleepable
 * {@code lsm.s/bprm_committed_creds} counts this JVM's execs of a copy of {@code true}; after the links close
 * neither counts nor refuses. Where the leg's kernel is stated to run no BPF LSM programs, the load
 * or attach is refused in one line naming why.
 */
@RequiresBpf
class LsmAttachTest {

    private static final int OPENS = 6;

    @Test
    void lsmProgramsCountAndRefuseRealOpensAndExecsUntilTheirLinksCloseOrTheRefusalNamesWhy() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("lsm"));
        if (!KernelExpectations.has(Feature.LSM)) {
            assertRefused(object);
            return;
        }
        Path counted = Files.writeString(Files.createDirectories(Path.of("target/lsm-test")).resolve("counted"), "counted");
        Path refused = Files.writeString(counted.resolveSibling("refused"), "refused");
        // A copy of true beside them, so that its inode is the one the kernel execs (not an overlay's, as in the VMs).
        Path trueBinary = Files.copy(Path.of("/bin/true"), counted.resolveSibling("true"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setLong("target_ino", inode(counted));
            bss.setLong("deny_ino", inode(refused));
            bss.setInt("parent_tgid", (int) ProcessHandle.current().pid());
            bss.setLong("exec_ino", inode(trueBinary));
            try (Link onOpen = loaded.attach("on_file_open"); Link onExec = loaded.attach("on_exec")) {
                for (int i = 0; i < OPENS; i++) {
                    Files.readAllBytes(counted);
                }
                assertThatThrownBy(() -> Files.readAllBytes(refused)).isInstanceOf(AccessDeniedException.class);
                runTrue(trueBinary);
                runTrue(trueBinary);
            }
            assertThat(bss.getLong("opens")).as("lsm/file_open on " + counted).isEqualTo(OPENS);
            assertThat(bss.getLong("denied")).as("opens refused").isEqualTo(1);
            assertThat(bss.getLong("execs")).as("lsm.s/bprm_committed_creds on " + trueBinary).isEqualTo(2);

            assertThat(Files.readString(refused)).as("no refusal once the link is closed").isEqualTo("refused");
            Files.readAllBytes(counted);
            assertThat(bss.getLong("opens")).as("no count once the link is closed").isEqualTo(OPENS);
        }
    }

    /** The kernel refuses the load (EPERM, as this project's host does), or the attach where bpf is no active LSM. */
    private static void assertRefused(ObjectSpec object) throws IOException, InterruptedException {
        if (!Securityfs.activeModules().contains("bpf")) {
            try (LoadedObject loaded = LoadedObject.load(object)) {
                assertThatThrownBy(() -> loaded.attach("on_file_open"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageStartingWith("lsm program on_file_open: the kernel does not run the BPF LSM (/sys/kernel/security/lsm: ")
                        .hasMessageNotContaining("\n");
            }
            return;
        }
        assertThatThrownBy(() -> LoadedObject.load(object).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("program 'on_file_open' in section 'lsm/file_open' was refused with EPERM before verification")
                .hasMessageContaining("refuses BPF LSM programs here")
                .hasMessageNotContaining("\n");
    }

    private static long inode(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    private static void runTrue(Path trueBinary) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder(trueBinary.toString()).start().waitFor()).isZero();
    }
}

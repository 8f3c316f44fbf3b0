package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CO-RE relocations and fentry targets found in kernel modules' BTF ({@code /sys/kernel/btf/MODULE},
 * split BTF on vmlinux's), as libbpf finds them. Where 9p's BTF is loaded (the kernel VMs, which see
 * the repository through a 9p mount), the values are checked against that BTF as bpftool dumps it,
 * and fentry on {@code v9fs_statfs} counts this process's statfs calls on the working directory and
 * reads the mount's {@code msize} through the session; where the kernel exposes no module BTF (this
 * project's host, whose overlayfs is built in but which has no 9p), each module access is refused
 * naming that.
 */
@RequiresBpf
class ModuleBtfTest {

    /**
     * Whether the leg's kernel is stated to expose module BTF: in the VMs, where the repository is
     * on a 9p mount, 9p's module BTF must then be there, and the tests read it with bpftool.
     */
    private static boolean ninePBtf() {
        return KernelExpectations.has(Feature.MODULE_BTF);
    }

    private static ObjectSpec object() throws Exception {
        return ObjectSpec.open(BpfObjects.compile("module_btf"));
    }

    @Test
    void guardedCoreReadsOfModuleTypesGiveTheModulesValuesOrZeroWithoutThem() throws Exception {
        ObjectSpec object = object();
        try (LoadedObject loaded = LoadedObject.load(object)) {
            try (BpfProgram program = loaded.program("module_types")) {
                program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
            }
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            if (!ninePBtf()) {
                assertThat(bss.getLong("session_exists")).isZero();
                assertThat(bss.getLong("session_size")).isZero();
                assertThat(bss.getLong("session_type_id")).isZero();
                assertThat(bss.getLong("clnt_offset")).isZero();
                assertThat(bss.getLong("proto_version_offset")).isZero();
                return;
            }
            String ninep = bpftoolDump("9p");
            Matcher struct = Pattern.compile("(?m)^\\[(\\d+)] STRUCT 'v9fs_session_info' size=(\\d+)").matcher(ninep);
            assertThat(struct.find()).as("bpftool lists struct v9fs_session_info in 9p's BTF").isTrue();
            assertThat(bss.getLong("session_exists")).isEqualTo(1);
            assertThat(bss.getLong("session_size")).isEqualTo(Long.parseLong(struct.group(2)));
            assertThat(bss.getLong("session_type_id")).as("the id in the kernel's one id space, after vmlinux's")
                    .isEqualTo(Long.parseLong(struct.group(1)));
            assertThat(bss.getLong("clnt_offset")).isEqualTo(bitOffset(ninep, "v9fs_session_info", "clnt") / 8);
            // struct p9_client is in both 9p's and 9pnet's BTF: two candidates that agree.
            assertThat(bss.getLong("proto_version_offset")).isEqualTo(bitOffset(bpftoolDump("9pnet"), "p9_client",
                    "proto_version") / 8);
        }
    }

    @Test
    void anUnguardedReadOfAModuleTypeLoadsWhereTheModulesBtfIsAndIsRefusedNamingModuleBtfWhereNot() throws Exception {
        ObjectSpec object = object().withAutoload("module_field_unguarded", true);
        if (!ninePBtf()) {
            assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("program 'module_field_unguarded' reaches instruction")
                    .hasMessageContaining("the kernel has no struct v9fs_session_info (nor any module: this kernel exposes no module BTF in "
                            + "/sys/kernel/btf");
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object)) {
            try (BpfProgram program = loaded.program("module_field_unguarded")) {
                program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
            }
            assertThat(GlobalView.of(object, loaded, ".bss").getLong("maxdata_offset"))
                    .isEqualTo(bitOffset(bpftoolDump("9p"), "v9fs_session_info", "maxdata") / 8);
        }
    }

    @Test
    void fentryOnAModuleFunctionCountsStatfsOfA9pMountAndReadsItsMsizeOrIsRefusedNamingModuleBtf() throws Exception {
        ObjectSpec object = object().withAutoload("module_types", false).withAutoload("on_v9fs_statfs", true)
                .withAutoload("on_qualified_v9fs_statfs", true);
        if (!ninePBtf()) {
            assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'on_v9fs_statfs' in section '?fentry/v9fs_statfs': the kernel's BTF "
                            + "(/sys/kernel/btf/vmlinux) has no FUNC 'v9fs_statfs', and this kernel exposes no module BTF in "
                            + "/sys/kernel/btf (no module loaded, or built without CONFIG_DEBUG_INFO_BTF_MODULES), so a target "
                            + "only a module defines is not found until that module is loaded (inlined or static functions "
                            + "of another name are not attachable)");
            return;
        }
        Path here = Path.of("").toAbsolutePath();
        long mountMsize = ninePMsize(here);
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link bare = loaded.attach("on_v9fs_statfs");
                 Link qualified = loaded.attach("on_qualified_v9fs_statfs")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(Files.getFileStore(here).getTotalSpace()).isPositive();
                }
                assertThat(bss.getLong("statfs_calls")).as("statfs of %s, on 9p", here).isGreaterThanOrEqualTo(3);
                assertThat(bss.getLong("qualified_statfs_calls")).as("fentry/9p:v9fs_statfs")
                        .isEqualTo(bss.getLong("statfs_calls"));
            }
            assertThat(bss.getLong("msize")).as("session->clnt->msize: the mount's msize").isEqualTo(mountMsize);
            long seen = bss.getLong("statfs_calls");
            Files.getFileStore(here).getTotalSpace();
            assertThat(bss.getLong("statfs_calls")).as("no count after the link closed").isEqualTo(seen);
        }
    }

    @Test
    void aModuleQualifiedTargetIsLookedForInThatModuleOnly() throws Exception {
        ObjectSpec object = object().withAutoload("module_types", false).withAutoload("in_the_wrong_module", true);
        assertThatThrownBy(() -> LoadedObject.load(object).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("program 'in_the_wrong_module' in section '?fentry/9pnet:v9fs_statfs': "
                        + (ninePBtf() ? "module 9pnet's BTF (/sys/kernel/btf/9pnet) has no "
                        + "FUNC 'v9fs_statfs'" : "module '9pnet' exposes no BTF"));
    }

    /** The {@code msize} option of the 9p mount {@code path} is on (the deepest mount point above it). */
    private static long ninePMsize(Path path) throws IOException {
        String best = null;
        String options = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 3 && path.startsWith(fields[1]) && (best == null || fields[1].length() > best.length())) {
                best = fields[1];
                options = fields[2].equals("9p") ? fields[3] : null;
            }
        }
        assertThat(options).as("%s is on a 9p mount, as in the kernel VMs", path).isNotNull();
        for (String option : options.split(",")) {
            if (option.startsWith("msize=")) {
                return Long.parseLong(option.substring("msize=".length()));
            }
        }
        throw new AssertionError("the 9p mount of " + path + " shows no msize: " + options);
    }

    /** bpftool's plain dump of a module's BTF (it finds vmlinux's as the base itself). */
    private static String bpftoolDump(String module) throws IOException, InterruptedException {
        Process bpftool = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/" + module)
                .redirectErrorStream(true).start();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bpftool.waitFor()).as("bpftool btf dump of %s: %s", module, out).isZero();
        return out;
    }

    /** The bit offset bpftool prints for {@code member} of {@code struct}. */
    private static long bitOffset(String dump, String struct, String member) {
        List<String> lines = dump.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\[\\d+] STRUCT '" + struct + "' .*")) {
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("\t"); j++) {
                    Matcher m = Pattern.compile("\t'" + member + "' type_id=\\d+ bits_offset=(\\d+)").matcher(lines.get(j));
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            }
        }
        throw new AssertionError("bpftool shows no member " + member + " of struct " + struct);
    }
}

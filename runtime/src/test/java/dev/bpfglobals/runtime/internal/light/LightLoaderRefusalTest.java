package dev.bpfglobals.runtime.internal.light;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.ThreadCapabilities;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a light load says when it cannot load: the kernel's refusal of the loader itself (syscall
 * programs, or {@code bpf_sys_bpf} in them) in one line, and a failing step of the loader by its
 * number, its map or program and its errno, read back from the loader's context; after a failed
 * step nothing the loader made is left in the kernel. The refusals are provoked for real, by
 * dropping the capability each needs from the calling thread.
 */
@RequiresBpf
class LightLoaderRefusalTest {

    private static final int CPUS = PossibleCpus.system().count();

    @Test
    void aKernelThatRefusesSyscallProgramsToTheCallerIsNamedInOneLine() throws InterruptedException {
        LoaderProgram loader = loaderOf(List.of(array("lt_rs_" + suffix())), List.of());

        Throwable thrown = onOwnThread(() -> {
            try (BpfFd data = LightLoader.dataMap(loader)) {
                // Without CAP_BPF (for which CAP_SYS_ADMIN stands in) a syscall program may not be loaded.
                ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_BPF);
                ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_SYS_ADMIN);
                LightLoader.loadLoader(loader, data).close();
            }
        });

        assertThat(thrown).isInstanceOf(BpfException.class);
        assertThat(((BpfException) thrown).errno()).isEqualTo(Errno.EPERM);
        assertThat(thrown.getMessage()).contains("refuses BPF_PROG_TYPE_SYSCALL programs").doesNotContain("\n");
    }

    @Test
    void aKernelThatRefusesBpfSysBpfToTheLoaderIsNamedInOneLine() throws InterruptedException {
        LoaderProgram loader = loaderOf(List.of(array("lt_rh_" + suffix())), List.of());

        Throwable thrown = onOwnThread(() -> {
            // CAP_BPF stays: the syscall program may be loaded, but bpf_sys_bpf is CAP_PERFMON's.
            ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_PERFMON);
            ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_SYS_ADMIN);
            LightLoader.load(loader).close();
        });

        assertThat(thrown).isInstanceOf(BpfException.class);
        assertThat(thrown.getMessage()).contains("refuses bpf_sys_bpf").contains("bpf_sys_bpf#166").doesNotContain("\n");
    }

    @Test
    void aFailingMapCreateNamesItsStepAndErrnoAndLeavesNoMapBehind() {
        String kept = "lt_ok_" + suffix();
        // An ARRAY's key is 4 bytes: the kernel refuses 8 with EINVAL, after the first map exists.
        LightMap bad = new LightMap("lt_bad", LightMap.ARRAY, 8, 4, 1, 0, 0, 0, null, false);
        LoaderProgram loader = loaderOf(List.of(array(kept), bad), List.of());

        assertThatThrownBy(() -> LightLoader.load(loader).close())
                .isInstanceOfSatisfying(BpfException.class, e -> {
                    assertThat(e.command()).isEqualTo(BpfCommand.BPF_MAP_CREATE);
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                })
                .hasMessageContaining("step 3 of 3: map 1 'lt_bad' create");
        assertThat(kernelMapNames()).doesNotContain(kept);
    }

    @Test
    void aRefusedProgramNamesItselfItsErrnoAndTheVerifiersReasonAndLeavesNoMapBehind() {
        String kept = "lt_pk_" + suffix();
        // Returns without setting r0: the verifier refuses it with "R0 !read_ok".
        long[] exitOnly = {LoaderAsm.insn(0x95, 0, 0, 0, 0)};
        LoaderProgram loader = loaderOf(List.of(array(kept)),
                List.of(new LightProgram("lt_bad_prog", LightFixture.SOCKET_FILTER, 0, 0, "GPL", exitOnly)));

        assertThatThrownBy(() -> LightLoader.load(loader).close())
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES))
                .hasMessageContaining("program 'lt_bad_prog' load")
                .hasMessageContaining("R0 !read_ok")
                .hasMessageNotContaining("\n");
        assertThat(kernelMapNames()).doesNotContain(kept);
    }

    private static LightMap array(String name) {
        return new LightMap(name, LightMap.ARRAY, 4, 4, 1, 0, 0, 0, new byte[] {1, 2, 3, 4}, false);
    }

    private static LoaderProgram loaderOf(List<LightMap> maps, List<LightProgram> programs) {
        return LoaderBuilder.build(new LightPlan(maps, programs, null, false, CPUS));
    }

    private static String suffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    }

    /** The names of every map in the kernel (maps that vanish while listed are skipped). */
    private static List<String> kernelMapNames() {
        List<String> names = new ArrayList<>();
        for (int id = BpfMaps.nextId(0); id >= 0; id = BpfMaps.nextId(id)) {
            try (BpfFd map = BpfMaps.fdById(id, 0)) {
                names.add(BpfMaps.info(map).name());
            } catch (BpfException gone) {
                // freed between the two calls
            }
        }
        return names;
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} on a thread of its own, which ends with whatever capabilities it dropped: what it threw. */
    private static Throwable onOwnThread(Body body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        thread.join();
        return thrown.get();
    }
}

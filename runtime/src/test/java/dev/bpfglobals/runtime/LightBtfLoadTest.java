package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.IterAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * What a light load takes from the object's BTF, as gen_loader does: programs loaded with their
 * func and line info (so callbacks verify), CO-RE relocations the kernel applies at load, and attach
 * BTF ids the loader program finds by name; and {@code __kconfig} values, read as the normal load reads them. Each is held against the normal load of the same object:
 * the same kernel-side view ({@link KernelSideView}), the same results when run or attached.
 */
@RequiresBpf
class LightBtfLoadTest {

    @Test
    void aCallbackLoadsLightWithItsFuncInfoAndSumsAsTheNormalLoadDoes() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("callback"));
        KernelSideView normal = normalView(object);
        try (LoadedObject light = object.loadLight(LoadOptions.defaults());
             BpfProgram program = light.program("sum_squares")) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            assertThat(program.info().funcInfoCount()).as("sum_squares, add_square, square").isEqualTo(3);
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(2); // XDP_PASS
            assertThat(light.globalData(".bss").get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1 + 4 + 9 + 16);
        }
    }

    @Test
    void coreRelocationsAppliedByTheKernelGiveTheProgramsAndValuesOfTheNormalLoad() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("core_vmlinux"));
        KernelSideView normalView;
        byte[] normalBss;
        try (LoadedObject normal = LoadedObject.load(object)) {
            normalView = KernelSideView.of(normal, object);
            normalBss = runReadTask(normal, object);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normalView);
            assertThat(runReadTask(light, object)).as(".bss after read_task (the kernel's offsets, sizes, enum values, "
                    + "type ids, existence checks)").isEqualTo(normalBss);
        }
    }

    @Test
    void aBtfTracepointLoadsLightWithTheAttachIdTheLoaderFoundAndCounts() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing"));
        KernelSideView normal = normalView(object);
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            GlobalView bss = GlobalView.of(object, light, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = light.attach("on_sys_enter")) {
                for (int i = 0; i < 4; i++) {
                    Syscalls.getpgid();
                }
                assertThat(bss.getLong("btf_enters")).isEqualTo(4);
            }
        }
    }

    @Test
    void trampolinesLoadLightWhereTheLegRunsThemAndAreRefusedAsTheNormalLoadRefusesThemElsewhere() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing")).withAutoload("on_getpgid", true)
                .withAutoload("on_getpgid_exit", true).withAutoload("on_task_getpgid", true);
        if (!KernelExpectations.has(Feature.FENTRY)) {
            String normal = refusal(() -> LoadedObject.load(object).close());
            assertThat(normal).contains("program 'on_getpgid' in section '?fentry/__x64_sys_getpgid' was refused with EPERM");
            assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close())
                    .isInstanceOf(IllegalStateException.class).hasMessage(normal);
            return;
        }
        KernelSideView normal = normalView(object);
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            GlobalView bss = GlobalView.of(object, light, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link entry = light.attach("on_getpgid"); Link exit = light.attach("on_getpgid_exit");
                 Link modRet = light.attach("on_task_getpgid")) {
                for (int i = 0; i < 4; i++) {
                    Syscalls.getpgid();
                }
                assertThat(bss.getLong("fentries")).isEqualTo(4);
                assertThat(bss.getLong("fexits")).isEqualTo(4);
                assertThat(bss.getLong("fmod_rets")).isEqualTo(4);
            }
        }
    }

    @Test
    void aTargetTheKernelLacksFailsTheLoadersLookupNamingIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing")).withAutoload("on_sys_enter", false)
                .withAutoload("on_nothing", true);
        assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close())
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("BPF_PROG_LOAD failed with ENOENT (light skeleton loader, step ")
                .hasMessageContaining("program 'on_nothing' attach target FUNC 'no_such_function_bpfglobals' lookup")
                .hasMessageContaining("has no such type").hasMessageNotContaining("\n");
    }

    @Test
    void aTaskIteratorLoadsLightAndListsThisProcess() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("iter"));
        KernelSideView normal = normalView(object);
        int tgid = (int) ProcessHandle.current().pid();
        try (LoadedObject light = object.loadLight(LoadOptions.defaults()); Link text = light.attach("print_threads")) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            GlobalView.of(object, light, ".bss").setInt("target_tgid", tgid);
            assertThat(IterAttach.readText(text).lines()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith(tgid + " "))
                    .contains(tgid + " " + tgid);
        }
    }

    @Test
    void lsmProgramsLoadLightAsTheyLoadNormally() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("lsm"));
        if (!KernelExpectations.has(Feature.LSM)) {
            // Where the leg runs no BPF LSM, the light load ends as the normal one: loaded, or refused with its line.
            String normal;
            try {
                normal = normalView(object).toString();
            } catch (IllegalStateException e) {
                normal = e.getMessage();
                assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close()).hasMessage(normal);
                return;
            }
            try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
                assertThat(KernelSideView.of(light, object).toString()).isEqualTo(normal);
            }
            return;
        }
        KernelSideView normal = normalView(object);
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
        }
    }

    @Test
    void kconfigExternsLoadLightWithTheValuesTheNormalLoadGivesThem() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kconfig"));
        KernelSideView normalView;
        byte[] normalKconfig;
        byte[] normalBss;
        try (LoadedObject normal = LoadedObject.load(object)) {
            normalView = KernelSideView.of(normal, object);
            normalKconfig = normal.globalData(".kconfig").toArray(ValueLayout.JAVA_BYTE);
            normalBss = runReadKconfig(normal);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normalView);
            MemorySegment kconfig = light.globalData(".kconfig");
            assertThat(kconfig.isReadOnly()).as("frozen, as the normal load's").isTrue();
            assertThat(kconfig.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(normalKconfig);
            assertThat(runReadKconfig(light)).as(".bss after read_kconfig copied every value").isEqualTo(normalBss);
        }
    }

    private static byte[] runReadKconfig(LoadedObject loaded) {
        try (BpfProgram program = loaded.program("read_kconfig")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
        return loaded.globalData(".bss").toArray(ValueLayout.JAVA_BYTE);
    }

    private static KernelSideView normalView(ObjectSpec object) throws Exception {
        try (LoadedObject loaded = LoadedObject.load(object)) {
            return KernelSideView.of(loaded, object);
        }
    }

    /**
     * Runs core_vmlinux's read_task once and returns the .bss it filled, the task's ids (which the
     * run's task decides, checked here against each other) zeroed.
     */
    private static byte[] runReadTask(LoadedObject loaded, ObjectSpec object) {
        try (BpfProgram program = loaded.program("read_task")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
        MemorySegment bss = MemorySegment.ofArray(loaded.globalData(".bss").toArray(ValueLayout.JAVA_LONG));
        GlobalSection section = object.globalSection(".bss").orElseThrow();
        long pidTgid = bss.get(ValueLayout.JAVA_LONG, section.variable("pid_tgid").orElseThrow().offset());
        for (String pid : new String[] {"pid", "flavoured_pid", "sub_pid"}) {
            long offset = section.variable(pid).orElseThrow().offset();
            assertThat(bss.get(ValueLayout.JAVA_INT, offset)).as(pid).isEqualTo((int) pidTgid);
            bss.set(ValueLayout.JAVA_INT, offset, 0);
        }
        long tgid = section.variable("tgid").orElseThrow().offset();
        assertThat(bss.get(ValueLayout.JAVA_INT, tgid)).as("tgid").isEqualTo((int) (pidTgid >>> 32));
        bss.set(ValueLayout.JAVA_INT, tgid, 0);
        bss.set(ValueLayout.JAVA_LONG, section.variable("pid_tgid").orElseThrow().offset(), 0);
        return bss.toArray(ValueLayout.JAVA_BYTE);
    }

    private static String refusal(Runnable load) {
        try {
            load.run();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("the normal load was not refused");
    }
}

package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.ExternSymbol.Kind;
import dev.bpfglobals.runtime.internal.loader.Relocation;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Objects declaring kernel symbols with {@code __ksym}, as the selftest {@code test_ksyms.c} does:
 * opened and listed like libbpf opens them, loaded with their BTF, typeless ones resolved from
 * {@code /proc/kallsyms} as libbpf resolves them, and a program that needs an extern this loader
 * does not resolve refused naming it.
 */
class ExternsTest {

    @Test
    void anObjectWithTypelessAndTypedKsymsOpensAndListsThem() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ksyms"));

        assertThat(object.externs()).extracting(ExternSymbol::name, ExternSymbol::kind, ExternSymbol::cType, ExternSymbol::weak)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("bpf_init", Kind.TYPELESS_KSYM, "void", false),
                        Tuple.tuple("bpf_prog_put", Kind.TYPELESS_KSYM, "void", false),
                        Tuple.tuple("no_such_symbol_here", Kind.TYPELESS_KSYM, "void", true),
                        Tuple.tuple("no_such_kernel_symbol", Kind.TYPELESS_KSYM, "void", false),
                        Tuple.tuple("bpf_prog_active", Kind.TYPED_KSYM, "__s32", false),
                        Tuple.tuple("bpf_task_acquire", Kind.KFUNC, "", false));
        assertThat(object.program("read_addresses").orElseThrow().relocations())
                .filteredOn(r -> r.kind() == Relocation.Kind.EXTERN).extracting(Relocation::symbol)
                .containsExactlyInAnyOrder("bpf_init", "bpf_prog_put", "no_such_symbol_here");
    }

    @Test
    void withoutBtfAnExternIsListedAsOther() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithoutDebugInfo("ksyms"));

        assertThat(object.extern("bpf_init")).contains(new ExternSymbol("bpf_init", Kind.OTHER, "", false));
    }

    @Test
    @RequiresBpf
    void theObjectsBtfWithItsKsymsIsTakenByTheKernel() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ksyms")).withAutoload("read_addresses", false);

        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThat(loaded.btfRefusal()).isEmpty();
        }
    }

    @Test
    @RequiresBpf
    void typelessKsymsAreTheirKallsymsAddressesAndAWeakOneTheKernelLacksIsZero() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ksyms"));
        GlobalSection bss = object.globalSection(".bss").orElseThrow();

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("read_addresses")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
            MemorySegment values = loaded.globalData(".bss");

            assertThat(values.get(ValueLayout.JAVA_LONG, bss.variable("init_addr").orElseThrow().offset()))
                    .isEqualTo(kallsyms("bpf_init")).isNotZero();
            assertThat(values.get(ValueLayout.JAVA_LONG, bss.variable("put_addr").orElseThrow().offset()))
                    .isEqualTo(kallsyms("bpf_prog_put")).isNotZero();
            assertThat(values.get(ValueLayout.JAVA_LONG, bss.variable("missing_addr").orElseThrow().offset())).isZero();
        }
    }

    @Test
    @RequiresBpf
    void aStrongTypelessKsymTheKernelLacksIsRefusedNamingItAndTheWayOut() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ksyms")).withAutoload("read_missing", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("program 'read_missing' refers to typeless __ksym 'no_such_kernel_symbol', which /proc/kallsyms "
                        + "does not list on this kernel (data symbols appear there only with CONFIG_KALLSYMS_ALL); declare it "
                        + "__weak to get 0 where it is missing");
    }

    @Test
    @RequiresBpf
    void aProgramUsingATypedKsymLoadsWithTheKernelsBtfIdForIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ksyms")).withAutoload("read_addresses", false)
                .withAutoload("read_typed", true);
        if (!KernelExpectations.has(Feature.KSYM)) {
            assertThatThrownBy(() -> LoadedObject.load(object)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CONFIG_KALLSYMS_ALL"); // the kernel could not place it (see TypedKsymsTest)
            return;
        }

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("read_typed")) {
            assertThat(program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0)).returnValue())
                    .as("bpf_prog_active, a per-CPU nesting count").isBetween(0, 16);
        }
    }

    /** The one address /proc/kallsyms gives {@code name}, read here independently of the loader. */
    private static long kallsyms(String name) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/kallsyms"))) {
            List<Long> addresses = lines.map(l -> l.split("\\s+")).filter(f -> f.length >= 3 && f[2].equals(name))
                    .map(f -> Long.parseUnsignedLong(f[0], 16)).distinct().toList();
            assertThat(addresses).as(name + " in /proc/kallsyms").hasSize(1);
            return addresses.get(0);
        }
    }
}

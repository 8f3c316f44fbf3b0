package dev.bpfglobals.runtime.internal.light;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.BpfPrograms;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A light load (one syscall program that creates, fills and freezes the maps and loads the program)
 * against the same maps and program loaded directly with bpf(2) from Java: the kernel must report
 * the same maps (types, sizes, flags, BTF types, frozen), the same program, the same per-CPU values
 * on every CPU and the same program result. Whether the per-CPU image goes in as one
 * {@code BPF_F_ALL_CPUS} slot or one slot per possible CPU is taken from the leg's stated features.
 */
@RequiresBpf
class LightLoaderTest {

    private static final int CPUS = PossibleCpus.system().count();

    @Test
    void aLightLoadGivesTheKernelTheSameMapsValuesAndProgramAsADirectLoad() {
        boolean allCpus = KernelExpectations.has(KernelExpectations.Feature.ALL_CPUS);
        SectionBtfWriter.Encoded btf = LightFixture.percpuBtf();
        LoaderProgram loader = LoaderBuilder.build(new LightPlan(LightFixture.maps("lt", btf),
                List.of(LightFixture.reader("lt_reader")), btf.bytes(), allCpus, CPUS));

        try (LightObject light = LightLoader.load(loader); Direct direct = Direct.load(LightFixture.maps("lt", btf), btf, allCpus)) {
            assertThat(LightFixture.MapView.of(light.map("lt.percpu"))).isEqualTo(LightFixture.MapView.of(direct.maps.get(0)));
            assertThat(LightFixture.MapView.of(light.map("lt.rodata"))).isEqualTo(LightFixture.MapView.of(direct.maps.get(1)));
            assertThat(LightFixture.MapView.of(light.map("lt.rodata")).frozen()).isTrue();
            assertThat(LightFixture.MapView.of(light.map("lt.percpu")).btf()).isTrue();
            assertThat(LightFixture.ProgramView.of(light.program("lt_reader")))
                    .isEqualTo(LightFixture.ProgramView.of(direct.program));
            assertThat(LightFixture.perCpuValues(light.map("lt.percpu"), LightFixture.PERCPU_VALUE_SIZE, CPUS))
                    .isDeepEqualTo(LightFixture.perCpuValues(direct.maps.get(0), LightFixture.PERCPU_VALUE_SIZE, CPUS));
            assertThat(LightFixture.run(light.program("lt_reader"))).isEqualTo(LightFixture.run(direct.program))
                    .isEqualTo(LightFixture.PERCPU_FIRST + LightFixture.RODATA_WORD);
        }
    }

    @Test
    void theDescriptorsWrapIntoThePublicMapAndProgramTypesAndOutliveTheLightObject() {
        SectionBtfWriter.Encoded btf = LightFixture.percpuBtf();
        LoaderProgram loader = LoaderBuilder.build(new LightPlan(LightFixture.maps("lt_wrap", btf),
                List.of(LightFixture.reader("lt_wrap_reader")), btf.bytes(), false, CPUS));

        BpfMap rodata;
        BpfProgram reader;
        try (LightObject light = LightLoader.load(loader)) {
            // openFd duplicates: the wrappers own descriptors of their own.
            rodata = BpfMap.openFd(light.map("lt_wrap.rodata").value(), MapAccess.READ_ONLY);
            reader = BpfProgram.openFd(light.program("lt_wrap_reader").value(), "lt_wrap_reader");
        }
        try (rodata; reader) {
            assertThat(rodata.info().name()).isEqualTo("lt_wrap.rodata");
            assertThat(reader.info().name()).isEqualTo("lt_wrap_reader");
            assertThat(LightFixture.run(reader.fd())).isEqualTo(LightFixture.PERCPU_FIRST + LightFixture.RODATA_WORD);
        }
    }

    @Test
    void everyPossibleCpuHoldsTheInitialImageThroughTheFillTheLegStates() {
        boolean allCpus = KernelExpectations.has(KernelExpectations.Feature.ALL_CPUS);
        SectionBtfWriter.Encoded btf = LightFixture.percpuBtf();
        LoaderProgram loader = LoaderBuilder.build(new LightPlan(LightFixture.maps("lt_cpus", btf), List.of(), btf.bytes(),
                allCpus, CPUS));

        List<LoaderStep> updates = loader.steps(LoaderStep.Kind.MAP_UPDATE);
        LoaderStep percpuFill = updates.getFirst();
        if (allCpus) {
            // One 16-byte slot with BPF_F_ALL_CPUS, whatever the CPU count: the kernel copies it to every CPU.
            assertThat(percpuFill.updateFlags()).isEqualTo(BpfMaps.F_ALL_CPUS);
            assertThat(percpuFill.valueBytes()).isEqualTo(16);
        } else {
            assertThat(percpuFill.updateFlags()).isZero();
            assertThat(percpuFill.valueBytes()).isEqualTo(16 * CPUS);
        }
        try (LightObject light = LightLoader.load(loader)) {
            byte[] expected = Arrays.copyOf(LightFixture.percpuImage(), 16);
            byte[][] values = LightFixture.perCpuValues(light.map("lt_cpus.percpu"), LightFixture.PERCPU_VALUE_SIZE, CPUS);
            for (int cpu = 0; cpu < CPUS; cpu++) {
                assertThat(values[cpu]).as("CPU slot %d", cpu).isEqualTo(expected);
            }
        }
    }

    /** The same maps and program, made with bpf(2) calls from Java, as the normal loader makes them. */
    private record Direct(List<BpfFd> maps, BpfFd program, List<BpfFd> owned) implements AutoCloseable {
        static Direct load(List<LightMap> specs, SectionBtfWriter.Encoded encoded, boolean allCpus) {
            List<BpfFd> owned = new ArrayList<>();
            try (BpfFd btf = BtfObjects.load(encoded.bytes()); Arena arena = Arena.ofConfined()) {
                List<BpfFd> maps = new ArrayList<>();
                for (LightMap spec : specs) {
                    BpfFd map = BpfMaps.create(spec.type(), spec.keySize(), spec.valueSize(), spec.maxEntries(), spec.flags(),
                            spec.name(), spec.btfValueTypeId() == 0 ? null : btf, spec.btfKeyTypeId(), spec.btfValueTypeId());
                    owned.add(map);
                    maps.add(map);
                    fill(map, spec, allCpus, arena);
                    if (spec.freeze()) {
                        BpfMaps.freeze(map);
                    }
                }
                LightProgram reader = LightFixture.reader("lt_reader");
                BpfFd program = BpfPrograms.load(new ProgramLoad(reader.type(), reader.instructions(), reader.license(),
                        reader.name(), null, new int[0], new int[0], 0, 0, null, maps));
                owned.add(program);
                return new Direct(maps, program, owned);
            } catch (RuntimeException e) {
                owned.forEach(BpfFd::close);
                throw e;
            }
        }

        private static void fill(BpfFd map, LightMap spec, boolean allCpus, Arena arena) {
            byte[] image = spec.initialValue();
            if (!spec.perCpu()) {
                BpfMaps.update(map, arena.allocate(4), arena.allocateFrom(ValueLayout.JAVA_BYTE, image), 0);
                return;
            }
            int slot = (spec.valueSize() + 7) & ~7;
            int slots = allCpus ? 1 : CPUS;
            MemorySegment value = arena.allocate((long) slot * slots, 8);
            for (int cpu = 0; cpu < slots; cpu++) {
                MemorySegment.copy(image, 0, value, ValueLayout.JAVA_BYTE, (long) cpu * slot, image.length);
            }
            BpfMaps.update(map, arena.allocate(4), value, allCpus ? BpfMaps.F_ALL_CPUS : 0);
        }

        @Override
        public void close() {
            owned.forEach(BpfFd::close);
        }
    }
}

package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PROG_ARRAY maps initialised with {@code .values = { [i] = &prog }}: read into the map spec, their
 * slots filled with the tail programs once those are loaded (as libbpf's {@code init_prog_array_slots}),
 * jumped through by {@code bpf_tail_call}, and set, read back and cleared from Java.
 */
@RequiresBpf
class ProgramArrayTest {

    /** What {@code dispatch} returns when its tail call finds an empty slot. */
    private static final int FELL_THROUGH = -1;

    @Test
    void theValuesSlotsNameTheTailPrograms() throws Exception {
        MapSpec table = ObjectSpec.open(BpfObjects.compile("prog_array")).map("jump_table").orElseThrow();

        assertThat(table.mapType()).contains(MapType.PROG_ARRAY);
        assertThat(table.valueSize()).isEqualTo(4);
        assertThat(table.slots()).isEqualTo(Map.of(0, "tail_zero", 2, "tail_two"));
    }

    @Test
    void tailCallsReachTheProgramsTheValuesSlotsHold() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("prog_array")));
             BpfProgram dispatch = loaded.program("dispatch")) {
            assertThat(run(dispatch, 0)).isEqualTo(100);
            assertThat(run(dispatch, 2)).isEqualTo(102);
            assertThat(run(dispatch, 1)).as("an empty slot").isEqualTo(FELL_THROUGH);
            assertThat(run(dispatch, 3)).as("an empty slot").isEqualTo(FELL_THROUGH);
        }
    }

    @Test
    void slotsReadBackAsTheLoadedProgramsIds() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("prog_array")));
             BpfProgram tailZero = loaded.program("tail_zero");
             BpfProgram tailTwo = loaded.program("tail_two")) {
            ProgramArray table = loaded.map("jump_table").programArray();

            assertThat(table.programId(0)).hasValue(tailZero.info().id());
            assertThat(table.programId(2)).hasValue(tailTwo.info().id());
            assertThat(table.programId(1)).isEmpty();
        }
    }

    @Test
    void aSlotSetFromJavaTakesTheNextTailCallAndAClearedOneFallsThrough() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("prog_array")));
             BpfProgram dispatch = loaded.program("dispatch");
             BpfProgram tailTwo = loaded.program("tail_two")) {
            ProgramArray table = loaded.map("jump_table").programArray();

            table.set(1, tailTwo);
            assertThat(run(dispatch, 1)).isEqualTo(102);
            assertThat(table.clear(0)).isTrue();
            assertThat(table.clear(0)).as("already empty").isFalse();
            assertThat(run(dispatch, 0)).isEqualTo(FELL_THROUGH);
        }
    }

    @Test
    void aSlotBeyondMaxEntriesIsRefusedByTheKernel() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("prog_array")));
             BpfProgram tailTwo = loaded.program("tail_two")) {
            assertThatThrownBy(() -> loaded.map("jump_table").programArray().set(4, tailTwo))
                    .hasMessageContaining("E2BIG").hasMessageContaining("jump_table");
        }
    }

    @Test
    void programSlotsOnAnotherMapKindAreRefusedNamingTheMap() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")))) {
            assertThatThrownBy(() -> loaded.map("inner_a").programArray())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("map 'inner_a' (ARRAY) has no program slots");
        }
    }

    @Test
    void aValuesSlotPointingAtAFunctionThatIsNoProgramIsRefusedAtOpen() throws Exception {
        Path variant = BpfObjects.compileVariant("prog_array", "not_a_program", "-DNOT_A_PROGRAM");

        assertThatThrownBy(() -> ObjectSpec.open(variant))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("map 'jump_table': .values slot [0] holds a static function in section .text, "
                        + "which is not a program");
    }

    private static int run(BpfProgram program, long slot) throws Exception {
        return program.testRunOnCpu(new long[] {slot}, GlobalPercpuDataTest.onlineCpus().getFirst()).returnValue();
    }
}

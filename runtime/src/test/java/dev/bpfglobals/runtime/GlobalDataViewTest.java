package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** Typed views of a loaded object's mmapped {@code .data} and {@code .rodata}, against programs in the running kernel. */
@RequiresBpf
class GlobalDataViewTest {

    /** Reads of each value the program must make before the race counts as having happened. */
    private static final long READS_OF_EACH_VALUE = 10_000;
    private static final int MAX_BATCHES = 5_000;

    @Test
    void aProgramNeverSeesZeroWhileJavaAlternatesTheLimitBetweenTwoNonzeroValues() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("data_view"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("watch_limit")) {
            GlobalDataView<DataLimits> view = loaded.bindGlobalData(".data", DataLimits.CODEC);
            GlobalDataView.Variable limit = view.variable("limit");

            GlobalView seen = raceAgainstProgram(object, loaded, program, value -> view.setLong(limit, 0, value));

            assertThat(seen.getLong("seen_zero")).as("reads of 0").isZero();
            assertThat(seen.getLong("seen_other")).as("reads of a value never written").isZero();
            assertThat(view.read()).isIn(new DataLimits(0x11111111, 100, 0x22222222), new DataLimits(0x11111111, 200, 0x22222222));
        }
    }

    /**
     * Runs the program in batches while another thread writes 200 and 100 into {@code limit} with
     * {@code write}, until the program has read each value {@link #READS_OF_EACH_VALUE} times (so
     * writes and reads really interleaved); returns the program's counts.
     */
    private static GlobalView raceAgainstProgram(ObjectSpec object, LoadedObject loaded, BpfProgram program, LongConsumer write)
            throws InterruptedException {
        GlobalView seen = GlobalView.of(object, loaded, ".bss");
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().name("limit-writer").start(() -> {
            while (!stop.get()) {
                write.accept(200);
                write.accept(100);
            }
        });
        int cpu = PossibleCpus.system().cpuAt(0);
        try {
            for (int batch = 0; batch < MAX_BATCHES
                    && (seen.getLong("seen_low") < READS_OF_EACH_VALUE || seen.getLong("seen_high") < READS_OF_EACH_VALUE); batch++) {
                program.testRun(new byte[64], 100, cpu);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(seen.getLong("seen_low")).as("reads of 100").isGreaterThanOrEqualTo(READS_OF_EACH_VALUE);
        assertThat(seen.getLong("seen_high")).as("reads of 200").isGreaterThanOrEqualTo(READS_OF_EACH_VALUE);
        return seen;
    }

    @Test
    void settingOneVariableLeavesItsNeighboursAndThePaddingUntouched() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("data_view")))) {
            GlobalDataView<DataLimits> view = loaded.bindGlobalData(".data", DataLimits.CODEC);
            MemorySegment raw = loaded.writableGlobalData(".data");
            raw.set(ValueLayout.JAVA_INT, 4, 0x5a5a5a5a); // the padding between before and limit

            view.setLong(view.variable("limit"), 0, 4242);
            view.setInt(view.variable("after"), 0, 7);

            assertThat(view.read()).isEqualTo(new DataLimits(0x11111111, 4242, 7));
            assertThat(raw.get(ValueLayout.JAVA_INT, 4)).as("padding").isEqualTo(0x5a5a5a5a);
        }
    }

    @Test
    void aWholeRecordWriteStoresEveryVariableAndLeavesThePaddingUntouched() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("data_view")))) {
            GlobalDataView<DataLimits> view = loaded.bindGlobalData(".data", DataLimits.CODEC);
            MemorySegment raw = loaded.writableGlobalData(".data");
            raw.set(ValueLayout.JAVA_INT, 4, 0x5a5a5a5a);

            view.write(new DataLimits(1, 2, 3));

            assertThat(view.read()).isEqualTo(new DataLimits(1, 2, 3));
            assertThat(raw.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(2);
            assertThat(raw.get(ValueLayout.JAVA_INT, 4)).as("padding").isEqualTo(0x5a5a5a5a);
        }
    }

    @Test
    void aRodataViewReadsButRefusesWritesNamingTheSectionAndTheVariable() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("rodata_limit")))) {
            GlobalDataView<RodataLimit> view = loaded.bindGlobalData(".rodata", RodataLimit.CODEC);
            GlobalDataView.Variable loopLimit = view.variable("loop_limit");

            assertThat(view.readOnly()).isTrue();
            assertThat(view.getInt(loopLimit, 0)).isEqualTo(8);
            assertThat(view.read()).isEqualTo(new RodataLimit(8));
            assertThatThrownBy(() -> view.setInt(loopLimit, 0, 9))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("variable 'loop_limit' cannot be written: .rodata is read-only after load (frozen, "
                            + "BPF_F_RDONLY_PROG): set it before load with ObjectSpec.withGlobalImage(\".rodata\", image), "
                            + "or move the variable to .data");
            assertThatThrownBy(() -> view.write(new RodataLimit(9)))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("the record RodataLimit cannot be written: .rodata is read-only after load");
            assertThat(view.getInt(loopLimit, 0)).isEqualTo(8);
        }
    }

    @Test
    void aSectionLaidOutDifferentlyFromTheRecordIsRefusedNamingEveryDifference() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("data_view")))) {
            SectionCodec<DataLimits> drifted = DataLimits.codec(DataLimits.section(16));

            assertThatThrownBy(() -> loaded.bindGlobalData(".data", drifted))
                    .isInstanceOf(ContractMismatchException.class)
                    .hasMessageStartingWith("section '.data' of the loaded object does not match the Java record "
                            + DataLimits.class.getName())
                    .hasMessageContaining("variable 'limit': offset expected 16, found 8");
            assertThatThrownBy(() -> loaded.bindGlobalData(".rodata", DataLimits.CODEC))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no mmappable global section '.rodata'");
        }
    }
}

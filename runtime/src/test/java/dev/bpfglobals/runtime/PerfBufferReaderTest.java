package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A perf buffer read from Java while a real BPF program writes samples into it with
 * {@code bpf_perf_event_output}, run on each possible CPU in turn.
 */
@RequiresBpf
class PerfBufferReaderTest {

    /**
     * One sample as the program writes it: its running number, its CPU, a value derived from the
     * number and, in odd-numbered samples only, the value's complement; and its length as delivered
     * (the kernel pads 16 and 24 bytes to 20 and 28).
     */
    private record Sample(int seq, int cpu, long value, long check, long length) {
        static Sample of(MemorySegment data) {
            return new Sample(data.get(ValueLayout.JAVA_INT_UNALIGNED, 0), data.get(ValueLayout.JAVA_INT_UNALIGNED, 4),
                    data.get(ValueLayout.JAVA_LONG_UNALIGNED, 8),
                    data.byteSize() >= 24 ? data.get(ValueLayout.JAVA_LONG_UNALIGNED, 16) : 0, data.byteSize());
        }

        static Sample expected(int seq, int cpu) {
            long value = seq * 1000L + 7;
            return seq % 2 == 1 ? new Sample(seq, cpu, value, ~value, 28) : new Sample(seq, cpu, value, 0, 20);
        }
    }

    /** A sample as the reader delivered it: the CPU of the ring it came from, and what it says. */
    private record Received(int ringCpu, Sample sample) {
    }

    /** The CPUs a program can run on now: the kernel opens BPF output events on those only. */
    private static List<Integer> onlineCpus() throws Exception {
        return PossibleCpus.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).ids();
    }

    private static void emitOn(LoadedObject loaded, int cpu) {
        try (BpfProgram program = loaded.program("emit")) {
            program.testRunOnCpu(new long[0], cpu);
        }
    }

    private static int global(LoadedObject loaded, ObjectSpec object, String section, String name) {
        GlobalSection globals = object.globalSection(section).orElseThrow();
        return loaded.globalData(section).get(ValueLayout.JAVA_INT, globals.variable(name).orElseThrow().offset());
    }

    private static void setSamplesPerRun(LoadedObject loaded, ObjectSpec object, int samples) {
        GlobalSection data = object.globalSection(".data").orElseThrow();
        loaded.globalData(".data").set(ValueLayout.JAVA_INT, data.variable("samples").orElseThrow().offset(), samples);
    }

    /** Polls until {@code expected} samples arrived or 30 seconds passed. */
    private static List<Received> pollFor(PerfBufferReader reader, int expected) {
        List<Received> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.size() < expected && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(200), (cpu, data) -> received.add(new Received(cpu, Sample.of(data))));
        }
        return received;
    }

    @Test
    void everySampleOfEveryCpuArrivesOnceWithItsCpuAndPayload() throws Exception {
        List<Integer> cpus = onlineCpus();
        int runsPerCpu = 20;
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object);
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 4)) {
            List<Received> expected = new ArrayList<>();
            int seq = 0;
            for (int cpu : cpus) {
                for (int run = 0; run < runsPerCpu; run++) {
                    emitOn(loaded, cpu);
                    expected.add(new Received(cpu, Sample.expected(seq++, cpu)));
                }
            }

            List<Received> received = pollFor(reader, expected.size());
            reader.consume((cpu, data) -> received.add(new Received(cpu, Sample.of(data))));

            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(reader.lostSamples()).isZero();
        }
    }

    @Test
    void samplesOfOneCpuArriveInTheOrderTheyWereWritten() throws Exception {
        int cpu = onlineCpus().getFirst();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object);
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 2)) {
            setSamplesPerRun(loaded, object, 100);
            emitOn(loaded, cpu);

            List<Integer> order = pollFor(reader, 100).stream().map(r -> r.sample().seq()).toList();

            assertThat(order).hasSize(100).isSorted();
        }
    }

    @Test
    void samplesThatWrapAroundTheEndOfTheRingArriveWhole() throws Exception {
        int cpu = onlineCpus().getFirst();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object);
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            // 50 records of 32 and 40 bytes per run, read after each: the 4 KiB ring wraps about every
            // other run, and the first wrap splits a 40-byte record (at 4064).
            setSamplesPerRun(loaded, object, 50);
            List<Sample> received = new ArrayList<>();
            for (int run = 0; run < 12; run++) {
                emitOn(loaded, cpu);
                reader.consume((ringCpu, data) -> received.add(Sample.of(data)));
            }

            assertThat(received).hasSize(600);
            for (int seq = 0; seq < 600; seq++) {
                assertThat(received.get(seq)).isEqualTo(Sample.expected(seq, cpu));
            }
            assertThat(reader.lostSamples()).isZero();
        }
    }

    @Test
    void aBurstLargerThanTheRingIsReportedAsLostAndNothingGoesMissing() throws Exception {
        int cpu = onlineCpus().getFirst();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object);
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            // 300 samples of 32 and 40 bytes in one run: one 4 KiB page holds about 113 of them.
            setSamplesPerRun(loaded, object, 300);
            emitOn(loaded, cpu);
            List<Received> received = new ArrayList<>();
            long[] reportedLost = new long[1];
            PerfBufferReader.SampleHandler handler = new PerfBufferReader.SampleHandler() {
                @Override
                public void onSample(int ringCpu, MemorySegment data) {
                    received.add(new Received(ringCpu, Sample.of(data)));
                }

                @Override
                public void onLost(int ringCpu, long count) {
                    assertThat(ringCpu).isEqualTo(cpu);
                    reportedLost[0] += count;
                }
            };
            reader.consume(handler);
            // The kernel reports what it dropped with the next sample that finds room.
            setSamplesPerRun(loaded, object, 1);
            emitOn(loaded, cpu);
            reader.consume(handler);

            int failed = global(loaded, object, ".bss", "failed");
            assertThat(failed).as("samples the kernel refused").isPositive();
            assertThat(reader.lostSamples()).isEqualTo(failed).isEqualTo(reportedLost[0]);
            assertThat(received.size() + reader.lostSamples()).isEqualTo(301);
            assertThat(received).allSatisfy(
                    r -> assertThat(r).isEqualTo(new Received(cpu, Sample.expected(r.sample().seq(), cpu))));
        }
    }

    @Test
    void aHandlerThatThrowsKeepsTheSamplesBeforeItAndItselfRead() throws Exception {
        int cpu = onlineCpus().getFirst();
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object);
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            setSamplesPerRun(loaded, object, 5);
            emitOn(loaded, cpu);
            List<Integer> seen = new ArrayList<>();

            assertThatThrownBy(() -> reader.consume((ringCpu, data) -> {
                seen.add(Sample.of(data).seq());
                if (seen.size() == 2) {
                    throw new IllegalStateException("stop");
                }
            })).hasMessage("stop");
            reader.consume((ringCpu, data) -> seen.add(Sample.of(data).seq()));

            assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void pollReturnsZeroWhenTheTimeoutPassesWithNothingWritten() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_buffer")));
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            assertThat(reader.poll(Duration.ofMillis(50), (cpu, data) -> { })).isZero();
        }
    }

    @Test
    void pollWakesWhenTheProgramWrites() throws Exception {
        int cpu = onlineCpus().getFirst();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_buffer")));
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(
                    () -> reader.poll(Duration.ofSeconds(30), (ringCpu, data) -> { }));
            Thread.sleep(100);
            emitOn(loaded, cpu);

            assertThat(polled.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void theReaderHasARingForEveryOnlineCpu() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_buffer")));
             PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1)) {
            assertThat(reader.cpus()).isEqualTo(onlineCpus());
        }
    }

    @Test
    void closingTheReaderEmptiesTheMapSoTheProgramsOutputFails() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_buffer"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            PerfBufferReader.of(loaded.map("events"), 1).close();

            emitOn(loaded, onlineCpus().getFirst());

            assertThat(global(loaded, object, ".bss", "failed")).as("outputs refused: no event in the slot")
                    .isEqualTo(1);
        }
    }

    @Test
    void aMapOfAnotherTypeIsRefusedNamingItsType() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("all_maps")))) {
            assertThatThrownBy(() -> PerfBufferReader.of(loaded.map("hash"), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is a HASH map, not a PERF_EVENT_ARRAY");
        }
    }

    @Test
    void aPageCountThatIsNotAPowerOfTwoIsRefused() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_buffer")))) {
            assertThatThrownBy(() -> PerfBufferReader.of(loaded.map("events"), 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "a perf buffer needs a power of two (1, 2, 4, ...) of pages per CPU, not 3");
            assertThatThrownBy(() -> PerfBufferReader.of(loaded.map("events"), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not 0");
        }
    }

    @Test
    void aClosedReaderRefusesToRead() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_buffer")))) {
            PerfBufferReader reader = PerfBufferReader.of(loaded.map("events"), 1);
            reader.close();

            assertThatThrownBy(() -> reader.consume((cpu, data) -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }
}

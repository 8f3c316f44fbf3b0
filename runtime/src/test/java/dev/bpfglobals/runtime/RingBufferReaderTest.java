package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A ring buffer read from Java while a real BPF program writes it through
 * {@code bpf_ringbuf_output}, {@code reserve}+{@code submit} and {@code reserve}+{@code discard}.
 */
@RequiresBpf
class RingBufferReaderTest {

    /** One record as the program writes it: its number, how it was written, and its length. */
    private record Event(int seq, int kind, long value, long length) {
        static Event of(MemorySegment record) {
            long value = 0;
            for (long i = 8; i < record.byteSize(); i++) {
                value |= (record.get(ValueLayout.JAVA_BYTE, i) & 0xffL) << (8 * (i - 8));
            }
            return new Event(record.get(ValueLayout.JAVA_INT, 0), record.get(ValueLayout.JAVA_INT, 4), value, record.byteSize());
        }
    }

    /** What the program writes for event {@code seq}, unless it discards it (every third). */
    private static Event expected(int seq) {
        long value = seq * 1000L + 7;
        if (seq % 3 == 1) {
            long length = 12 + (seq & 3);
            return new Event(seq, 1, value & ((1L << (8 * (length - 8))) - 1), length);
        }
        return new Event(seq, 0, value, 16);
    }

    private static List<Event> expected(int from, int to) {
        List<Event> out = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            if (seq % 3 != 2) {
                out.add(expected(seq));
            }
        }
        return out;
    }

    private static void produce(LoadedObject loaded) {
        try (BpfProgram program = loaded.program("produce")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
    }

    @Test
    void theRecordsTheProgramCommittedAreReadInOrderAndDiscardedOnesSkipped() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")));
             RingBufferReader reader = loaded.ringBuffer("events")) {
            produce(loaded);
            List<Event> events = new ArrayList<>();

            int read = reader.consume(r -> events.add(Event.of(r)));

            assertThat(events).containsExactlyElementsOf(expected(0, 8));
            assertThat(read).isEqualTo(events.size());
            assertThat(reader.consume(r -> events.add(Event.of(r)))).as("nothing left").isZero();
        }
    }

    @Test
    void recordsThatWrapAroundTheEndOfTheRingReadWhole() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("ringbuf"));
        try (LoadedObject loaded = LoadedObject.load(object);
             RingBufferReader reader = loaded.ringBuffer("events")) {
            setRecords(loaded, object, 50);
            List<Event> events = new ArrayList<>();
            // 50 events of 16-24 bytes each per run: the 4 KiB ring wraps on the fourth run and again later.
            for (int run = 0; run < 12; run++) {
                produce(loaded);
                reader.consume(r -> events.add(Event.of(r)));
            }

            assertThat(events).containsExactlyElementsOf(expected(0, 600));
            assertThat(loaded.globalData(".bss").get(ValueLayout.JAVA_INT,
                    object.globalSection(".bss").orElseThrow().variable("dropped").orElseThrow().offset())).isZero();
        }
    }

    @Test
    void pollReturnsZeroWhenTheTimeoutPassesWithNothingWritten() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")));
             RingBufferReader reader = loaded.ringBuffer("events")) {
            assertThat(reader.poll(Duration.ofMillis(50), r -> { })).isZero();
        }
    }

    @Test
    void pollWakesWhenTheProgramWrites() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")));
             RingBufferReader reader = loaded.ringBuffer("events")) {
            List<Event> events = new ArrayList<>();
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(
                    () -> reader.poll(Duration.ofSeconds(30), r -> events.add(Event.of(r))));
            Thread.sleep(100);
            produce(loaded);

            assertThat(polled.get(30, TimeUnit.SECONDS)).isPositive();
            reader.consume(r -> events.add(Event.of(r)));
            assertThat(events).containsExactlyElementsOf(expected(0, 8));
        }
    }

    @Test
    void aHandlerThatThrowsKeepsTheRecordsBeforeItAndItselfRead() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")));
             RingBufferReader reader = loaded.ringBuffer("events")) {
            produce(loaded);
            List<Event> events = new ArrayList<>();

            assertThatThrownBy(() -> reader.consume(r -> {
                events.add(Event.of(r));
                if (events.size() == 2) {
                    throw new IllegalStateException("stop");
                }
            })).hasMessage("stop");
            reader.consume(r -> events.add(Event.of(r)));

            assertThat(events).containsExactlyElementsOf(expected(0, 8));
        }
    }

    @Test
    void aMapOfAnotherTypeIsRefusedNamingItsType() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("all_maps")))) {
            assertThatThrownBy(() -> loaded.ringBuffer("hash"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is a HASH map, not a RINGBUF");
        }
    }

    @Test
    void aClosedReaderRefusesToRead() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("ringbuf")))) {
            RingBufferReader reader = loaded.ringBuffer("events");
            reader.close();

            assertThatThrownBy(() -> reader.consume(r -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }

    private static void setRecords(LoadedObject loaded, ObjectSpec object, int records) {
        GlobalSection data = object.globalSection(".data").orElseThrow();
        loaded.globalData(".data").set(ValueLayout.JAVA_INT, data.variable("records").orElseThrow().offset(), records);
    }
}

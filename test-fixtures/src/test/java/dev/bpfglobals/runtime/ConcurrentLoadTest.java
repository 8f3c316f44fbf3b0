package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.fixtures.StampedCounterGlobals.PerCpuPart;
import dev.bpfglobals.fixtures.StampedCounterGlobals;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Eight readers, a Java writer and a BPF program on the same {@code .percpu} globals at once, for a
 * bounded time, on the real kernel.
 */
@RequiresBpf
class ConcurrentLoadTest {

    /** Every 16-bit lane the same: an 8-byte field made of halves of two writes is not of this form. */
    private static final long LANES = 0x0001_0001_0001_0001L;
    private static final long RUN_MILLIS = 2_000;

    @Test
    void readersWriterAndProgramTogetherSeeNoTornFieldAndTheCountsAddUpOnceTheWriterStops() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("stamped_counter")));
             PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), StampedCounterGlobals.PERCPU);
             BpfProgram program = loaded.program("count")) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(9);
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                int mode = r % 3;
                readers.add(pool.submit((Callable<Void>) () -> {
                    PerCpuSnapshot<PerCpuPart> snapshot = globals.newSnapshot();
                    while (reading.get()) {
                        // Three paths, each with its own per-thread buffers: shared scratch would tear stamps too.
                        switch (mode) {
                            case 0 -> {
                                globals.readAll(snapshot);
                                for (int cpu : cpus.ids()) {
                                    assertUntorn(snapshot.get(cpu));
                                }
                            }
                            case 1 -> assertUntorn(globals.read(cpus.cpuAt(reads.get() % cpus.count() == 0 ? 0 : cpus.count() - 1)));
                            default -> assertThat(globals.sum().hits()).isNotNegative();
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<Long> writer = pool.submit(() -> {
                long k = 1;
                while (writing.get()) {
                    globals.writeAll(new PerCpuPart(0, 0, (k++ & 0xffff) * LANES));
                }
                return k;
            });

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            for (int i = 0; System.nanoTime() < deadline; i++) {
                program.testRun(new byte[64], 100, cpus.cpuAt(i % cpus.count()));
            }
            writing.set(false);
            long writes = writer.get(30, TimeUnit.SECONDS);
            // With the writer stopped, the program's updates must add up exactly, readers still running.
            globals.writeAll(new PerCpuPart(0, 0, LANES));
            int runsPerCpu = 5_000;
            for (int cpu : cpus.ids()) {
                program.testRun(new byte[64], runsPerCpu, cpu);
            }
            reading.set(false);
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(writes).as("the writer ran").isGreaterThan(10);
            assertThat(reads.get()).as("the readers ran").isGreaterThan(100);
            PerCpuPart sum = globals.sum();
            assertThat(sum.hits()).isEqualTo((long) runsPerCpu * cpus.count());
            assertThat(sum.bytes()).isEqualTo(10L * runsPerCpu * cpus.count());
            for (int cpu : cpus.ids()) {
                assertThat(globals.read(cpu)).isEqualTo(new PerCpuPart(runsPerCpu, 10L * runsPerCpu, LANES));
            }
        }
    }

    private static void assertUntorn(PerCpuPart value) {
        assertThat(Long.remainderUnsigned(value.stamp(), LANES)).as("stamp %x is whole", value.stamp()).isZero();
        assertThat(value.hits()).isNotNegative();
        assertThat(value.bytes()).isNotNegative();
    }
}

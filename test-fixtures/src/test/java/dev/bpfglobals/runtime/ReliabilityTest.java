package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.fixtures.CompatCounterGlobals.PerCpuPart;
import dev.bpfglobals.fixtures.CompatCounterGlobals;
import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** File descriptors, faults and concurrent load against the real kernel. */
@RequiresBpf
class ReliabilityTest {

    private static long openFds() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * 10,000 on the host; bin/test --kernel lowers it (an emulated VM takes 30 ms a cycle), since
     * there the point is each kernel's paths, not the leak stress the host run already gives.
     */
    private static final int LOAD_CYCLES = Integer.getInteger("bpfglobals.reliability.cycles", 10_000);

    @Test
    void openBindLoadCloseCyclesLeakNoFileDescriptor() throws Exception {
        ObjectSpec object = ObjectSpec.open(FixturePrograms.compile("compat_counter"));
        long before = openFds();

        for (int i = 0; i < LOAD_CYCLES; i++) {
            try (LoadedObject loaded = LoadedObject.load(object);
                 PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU);
                 BpfProgram program = loaded.program("count")) {
                assertThat(globals.map().info().valueSize()).isEqualTo(16);
            }
        }

        assertThat(openFds()).isEqualTo(before);
    }

    @Test
    void programUpdatesUnderEightReadersAddUpExactly() throws Exception {
        int runsPerCpu = 20_000;
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU);
             BpfProgram program = loaded.program("count")) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                readers.add(pool.submit(() -> {
                    PerCpuSnapshot<PerCpuPart> snapshot = globals.newSnapshot();
                    long last = 0;
                    while (!stop.get()) {
                        globals.readAll(snapshot);
                        long hits = snapshot.sum().hits();
                        assertThat(hits).as("counts never go back").isGreaterThanOrEqualTo(last);
                        last = hits;
                    }
                    return null;
                }));
            }
            PossibleCpus cpus = PossibleCpus.system();
            for (int cpu : cpus.ids()) {
                program.testRun(new byte[64], runsPerCpu, cpu);
            }
            stop.set(true);
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            PerCpuPart sum = globals.sum();
            assertThat(sum.hits()).isEqualTo((long) runsPerCpu * cpus.count());
            assertThat(sum.bytes()).isEqualTo(10L * runsPerCpu * cpus.count());
        }
    }

    @Test
    void readersOfAMapClosedUnderThemGetAClearErrorNotACrash() throws Exception {
        PerCpuArrayMap map = PerCpuArrayMap.create(CompatCounterGlobals.PERCPU.section(), MemorySegment.ofArray(new byte[16]),
                dev.bpfglobals.runtime.BpfFeatures.probe());
        PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(map, CompatCounterGlobals.PERCPU);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Throwable>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(pool.submit(() -> {
                PerCpuSnapshot<PerCpuPart> snapshot = globals.newSnapshot();
                try {
                    while (true) {
                        globals.readAll(snapshot);
                    }
                } catch (Throwable t) {
                    return t;
                }
            }));
        }
        Thread.sleep(200);
        globals.close();
        for (Future<Throwable> reader : readers) {
            assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
        pool.shutdown();
    }

    @Test
    void unpinningDoesNotDisturbHoldersOfTheMap() throws Exception {
        Path pin = BpfPins.path("unpin");
        try (PerCpuArrayMap created = PerCpuArrayMap.create(CompatCounterGlobals.PERCPU.section(), MemorySegment.ofArray(new byte[16]),
                dev.bpfglobals.runtime.BpfFeatures.probe())) {
            created.pin(pin);
            try (PerCpuGlobals<PerCpuPart> view = PerCpuGlobals.bind(PerCpuArrayMap.openPinned(pin, MapAccess.READ_ONLY), CompatCounterGlobals.PERCPU)) {
                Files.delete(pin);
                assertThat(view.sum()).isEqualTo(new PerCpuPart(0, 0));
            }
            assertThatThrownBy(() -> PerCpuArrayMap.openPinned(pin, MapAccess.READ_ONLY))
                    .isInstanceOf(BpfException.class).hasMessageContaining("ENOENT");
        } finally {
            Files.deleteIfExists(pin);
        }
    }
}

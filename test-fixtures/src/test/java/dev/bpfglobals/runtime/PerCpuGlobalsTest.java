package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.fixtures.Counters;
import dev.bpfglobals.fixtures.CountersGlobals;
import dev.bpfglobals.fixtures.CountersGlobals.PerCpuPart;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Binding, reading and writing a real PERCPU_ARRAY in the running kernel. */
@RequiresBpf
class PerCpuGlobalsTest {

    private static final PossibleCpus CPUS = PossibleCpus.system();
    private static final PerCpuPart INITIAL = new PerCpuPart(7, 70, 1);

    private static PerCpuGlobals<PerCpuPart> create(BpfFeatures features) {
        return PerCpuGlobals.bind(PerCpuArrayMap.create(CountersGlobals.PERCPU.section(), image(INITIAL), features), CountersGlobals.PERCPU, features);
    }

    /** {@code value} as the section's bytes, through the generated codec. */
    private static MemorySegment image(PerCpuPart value) {
        MemorySegment segment = MemorySegment.ofArray(new byte[CountersGlobals.PERCPU_VALUE_SIZE]);
        CountersGlobals.encodePerCpu(value, segment);
        return segment;
    }

    private static BpfFeatures mode(boolean fallback) {
        return fallback ? BpfFeatures.probe().withoutPerCpuFlags() : BpfFeatures.probe();
    }

    @Test
    void createdMapHasTheLibbpfShapeAndTheInitialImageOnEveryCpu() {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            MapInfo info = globals.map().info();
            PerCpuSnapshot<PerCpuPart> snapshot = globals.readAll();

            assertThat(info.name()).isEqualTo(".percpu");
            assertThat(info.type()).contains(MapType.PERCPU_ARRAY);
            assertThat(info.keySize()).isEqualTo(4);
            assertThat(info.valueSize()).isEqualTo(20);
            assertThat(info.maxEntries()).isEqualTo(1);
            for (int cpu : CPUS.ids()) {
                assertThat(snapshot.get(cpu)).isEqualTo(INITIAL);
            }
        }
    }

    @ParameterizedTest(name = "fallback={0}")
    @ValueSource(booleans = {false, true})
    void distinctValuesPerCpuReadBackExactlyAndSum(boolean fallback) {
        try (PerCpuGlobals<PerCpuPart> globals = create(mode(fallback))) {
            for (int cpu : CPUS.ids()) {
                globals.write(cpu, new PerCpuPart(100 + cpu, 1000L * (cpu + 1), cpu));
            }
            PerCpuSnapshot<PerCpuPart> snapshot = globals.readAll();

            long packets = 0;
            long bytes = 0;
            for (int cpu : CPUS.ids()) {
                assertThat(snapshot.get(cpu)).isEqualTo(new PerCpuPart(100 + cpu, 1000L * (cpu + 1), cpu));
                assertThat(globals.read(cpu)).isEqualTo(snapshot.get(cpu));
                packets += 100 + cpu;
                bytes += 1000L * (cpu + 1);
            }
            assertThat(globals.sum().packets()).isEqualTo(packets);
            assertThat(globals.sum().bytes()).isEqualTo(bytes);
            assertThat(snapshot.reduce(0L, (acc, c) -> acc + c.packets())).isEqualTo(packets);
        }
    }

    @ParameterizedTest(name = "fallback={0}")
    @ValueSource(booleans = {false, true})
    void writeAllReachesEveryCpu(boolean fallback) {
        try (PerCpuGlobals<PerCpuPart> globals = create(mode(fallback))) {
            globals.writeAll(new PerCpuPart(5, 6, 7));

            PerCpuSnapshot<PerCpuPart> snapshot = globals.readAll();
            for (int cpu : CPUS.ids()) {
                assertThat(snapshot.get(cpu)).isEqualTo(new PerCpuPart(5, 6, 7));
            }
        }
    }

    @Test
    void initialImageStaysReadableButCannotBeWritten() {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            globals.writeAll(new PerCpuPart(1, 2, 3));

            assertThat(globals.initialImage()).contains(INITIAL);
            assertThatThrownBy(() -> globals.initialImageSegment().orElseThrow().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mapOfAnotherShapeIsRefusedNamingEveryDifference() {
        SectionContract other = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 24, 1, 8,
                List.of(new VariableContract("x", "__u64", 0, 24, 8)));
        byte[] image = new byte[24];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (0x41 + i);
        }
        try (PerCpuArrayMap map = PerCpuArrayMap.create(other, MemorySegment.ofArray(image), BpfFeatures.probe())) {
            byte[] before = everyCpusCopy(map);

            assertThatThrownBy(() -> PerCpuGlobals.bind(map, CountersGlobals.PERCPU))
                    .isInstanceOf(ContractMismatchException.class)
                    .hasMessageContaining("value size expected 20 bytes, found 24 bytes");

            byte[] after = everyCpusCopy(map);
            assertThat(map.info().valueSize()).as("the kernel's value size of the refused map").isEqualTo(24);
            assertThat(after).as("every CPU's copy of the refused map, read back from the kernel after the refusal")
                    .isEqualTo(before);
            long stride = PerCpuSnapshot.slotStride(24);
            for (int slot = 0; slot < CPUS.count(); slot++) {
                assertThat(Arrays.copyOfRange(after, (int) (slot * stride), (int) (slot * stride) + 24))
                        .as("CPU %d's copy: still the image the map was created with", CPUS.cpuAt(slot))
                        .isEqualTo(image);
            }
        }
    }

    /** Key 0 of every possible CPU, as the kernel returns it (one 8-byte-aligned slot per CPU). */
    private static byte[] everyCpusCopy(PerCpuArrayMap map) {
        MemorySegment buffer = Arena.ofAuto().allocate(PerCpuSnapshot.slotStride(map.info().valueSize()) * CPUS.count(), 8);
        map.lookupAll(buffer);
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void createdMapCarriesBtfThatNamesEveryVariable() throws Exception {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            assertThat(globals.map().btfLayout()).hasValueSatisfying(layout ->
                    assertThat(layout.variables()).extracting(VariableContract::name).containsExactly("packets", "bytes", "flags"));
            Process bpftool = new ProcessBuilder("bpftool", "map", "dump", "id", "" + globals.map().info().id())
                    .redirectErrorStream(true).start();
            String dump = new String(bpftool.getInputStream().readAllBytes());
            assertThat(bpftool.waitFor()).as(dump).isZero();
            assertThat(dump).contains("packets").contains("bytes").contains("flags");
        }
    }

    @Test
    void mapWhoseBtfNamesOtherVariablesIsRefusedNamingEachAndLeftUnchanged() {
        SectionContract drifted = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 20, 1, 8, List.of(
                new VariableContract("bytes", "__u64", 0, 8, 8),
                new VariableContract("packets", "__u64", 8, 8, 8),
                new VariableContract("errors", "__u32", 16, 4, 4)));
        try (PerCpuArrayMap map = PerCpuArrayMap.create(drifted, image(INITIAL), BpfFeatures.probe())) {
            assertThatThrownBy(() -> PerCpuGlobals.bind(map, CountersGlobals.PERCPU))
                    .isInstanceOf(ContractMismatchException.class)
                    .hasMessageContaining("variable 'packets': offset expected 0, found 8")
                    .hasMessageContaining("variable 'bytes': offset expected 8, found 0")
                    .hasMessageContaining("variable 'flags': expected at offset 16, not found")
                    .hasMessageContaining("variable 'errors': not expected, found at offset")
                    .hasMessageContaining("does not match the Java record " + Counters.class.getName()
                            + " (expected: the record; found: what map ")
                    .hasMessageContaining("Rebuild the BPF object that made it against the record's header META-INF/bpf-globals/"
                            + Counters.class.getName() + ".h");
            PerCpuSnapshot<PerCpuPart> raw = PerCpuSnapshot.allocate(CountersGlobals.PERCPU, CPUS);
            assertThat(map.lookupRaw(Arena.ofAuto().allocate(4), raw.segment(), 0)).isZero();
            assertThat(raw.get(CPUS.cpuAt(0))).isEqualTo(INITIAL);
        }
    }

    @Test
    void readOnlyPinnedViewRefusesWritesNamingTheView() throws Exception {
        Path pin = BpfPins.path("test");
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            globals.map().pin(pin);
            try (PerCpuGlobals<PerCpuPart> view = PerCpuGlobals.bind(PerCpuArrayMap.openPinned(pin, MapAccess.READ_ONLY), CountersGlobals.PERCPU)) {
                assertThat(view.readAll().get(CPUS.cpuAt(0))).isEqualTo(INITIAL);
                assertThatThrownBy(() -> view.writeAll(new PerCpuPart(9, 9, 9)))
                        .isInstanceOf(BpfException.class)
                        .hasMessageContaining("BPF_MAP_UPDATE_ELEM failed with EPERM")
                        .hasMessageContaining("kernel-enforced read-only view");
            }
            assertThat(globals.readAll().get(CPUS.cpuAt(0))).isEqualTo(INITIAL);
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void writeOnlyPinnedViewRefusesReadsWithEpermNamingTheView() throws Exception {
        Path pin = BpfPins.path("test");
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            globals.map().pin(pin);
            try (PerCpuGlobals<PerCpuPart> view = PerCpuGlobals.bind(PerCpuArrayMap.openPinned(pin, MapAccess.WRITE_ONLY), CountersGlobals.PERCPU)) {
                assertThatThrownBy(view::readAll)
                        .isInstanceOf(BpfException.class)
                        .hasMessageContaining("BPF_MAP_LOOKUP_ELEM failed with EPERM")
                        .hasMessageContaining("kernel-enforced write-only view (BPF_F_WRONLY); open the map READ_WRITE to read it");
            }
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void frozenMapRefusesWritesThroughAReadWriteFdWithEpermNamingTheFreeze() {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            globals.map().map().freeze();

            assertThatThrownBy(() -> globals.writeAll(new PerCpuPart(9, 9, 9)))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("BPF_MAP_UPDATE_ELEM failed with EPERM")
                    .hasMessageContaining("the map is frozen");
            assertThat(globals.readAll().get(CPUS.cpuAt(0))).isEqualTo(INITIAL);
        }
    }

    @Test
    void openByIdAndByNameFindTheSameMap() {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe());
             PerCpuArrayMap byId = PerCpuArrayMap.openById(globals.map().info().id(), MapAccess.READ_WRITE)) {
            assertThat(byId.info().id()).isEqualTo(globals.map().info().id());
            int id = globals.map().info().id();
            try (PerCpuArrayMap byName = PerCpuArrayMap.openByName(".percpu", MapAccess.READ_ONLY)) {
                assertThat(byName.info().id()).isEqualTo(id);
            } catch (IllegalArgumentException ambiguous) {
                // Other .percpu maps are loaded on this machine: the error must list ours among them.
                assertThat(ambiguous).hasMessageContaining("several PERCPU_ARRAY maps are named '.percpu'")
                        .hasMessageContaining(String.valueOf(id));
            }
        }
        assertThatThrownBy(() -> PerCpuArrayMap.openByName("no_such_map_x", MapAccess.READ_ONLY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no PERCPU_ARRAY map named 'no_such_map_x'");
    }

    @Test
    void openFdDuplicatesSoBothDescriptorsCloseIndependently() {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            int fd = globals.map().map().fd().value();
            try (PerCpuArrayMap copy = PerCpuArrayMap.openFd(fd)) {
                assertThat(copy.info().id()).isEqualTo(globals.map().info().id());
            }
            assertThat(globals.readAll().get(CPUS.cpuAt(0))).isEqualTo(INITIAL);
        }
        assertThatThrownBy(() -> PerCpuArrayMap.openFd(999_999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EBADF");
    }

    @Test
    void openingAMissingPinNamesTheErrnoAndTheFix() {
        assertThatThrownBy(() -> PerCpuArrayMap.openPinned(Path.of("/sys/fs/bpf/bpfglobals-no-such-pin"), MapAccess.READ_ONLY))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("BPF_OBJ_GET failed with ENOENT")
                .hasMessageContaining("nothing is pinned at that path");
    }

    @Test
    void pinningOutsideABpfFilesystemNamesTheFilesystemToMount() throws Exception {
        Path notBpffs = Files.createTempDirectory("bpfglobals-pin").resolve("map");
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            assertThatThrownBy(() -> globals.map().pin(notBpffs))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("BPF_OBJ_PIN failed with EPERM")
                    .hasMessageContaining("mount -t bpf bpf /sys/fs/bpf");
        } finally {
            Files.delete(notBpffs.getParent());
        }
    }

    @Test
    void perCpuValueOverTheKernelLimitIsE2big() {
        SectionContract huge = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 32769, 1, 1,
                List.of(new VariableContract("x", "__u8[32769]", 0, 32769, 1)));
        assertThatThrownBy(() -> PerCpuArrayMap.create(huge, java.lang.foreign.MemorySegment.ofArray(new byte[32769]), BpfFeatures.probe()))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("E2BIG").hasMessageContaining("32768 bytes");
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseThrows() {
        PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe());
        globals.close();
        globals.close();

        assertThatThrownBy(globals::readAll).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void eightReadersAndAWriterNeverSeeATornEightByteField() throws Exception {
        try (PerCpuGlobals<PerCpuPart> globals = create(BpfFeatures.probe())) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(9);
            try {
                List<Future<Integer>> readers = new java.util.ArrayList<>();
                for (int r = 0; r < 8; r++) {
                    readers.add(pool.submit(() -> {
                        PerCpuSnapshot<PerCpuPart> snapshot = globals.newSnapshot();
                        int reads = 0;
                        while (!stop.get()) {
                            globals.readAll(snapshot);
                            for (int cpu : CPUS.ids()) {
                                PerCpuPart c = snapshot.get(cpu);
                                // The kernel copies per-CPU values in longs (bpf_long_memcpy) but takes no
                                // lock: fields may come from different writes, each 8-byte field is whole.
                                assertThat(c.packets() == INITIAL.packets() || sameLanes(c.packets())).as("packets %x", c.packets()).isTrue();
                                assertThat(c.bytes() == INITIAL.bytes() || sameLanes(c.bytes())).as("bytes %x", c.bytes()).isTrue();
                            }
                            reads++;
                        }
                        return reads;
                    }));
                }
                Future<?> writer = pool.submit(() -> {
                    for (long i = 1; !stop.get(); i++) {
                        globals.writeAll(new PerCpuPart(lanes(i), lanes(i + 7), 0));
                    }
                });
                Thread.sleep(1000);
                stop.set(true);
                writer.get(10, TimeUnit.SECONDS);
                for (Future<Integer> reader : readers) {
                    assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    /** A value whose four 16-bit lanes are equal; a torn copy would mix lanes of two values. */
    private static long lanes(long i) {
        long lane = (i % 0xffff) + 1;
        return lane * 0x0001_0001_0001_0001L;
    }

    private static boolean sameLanes(long value) {
        long lane = value & 0xffff;
        return lane != 0 && value == lane * 0x0001_0001_0001_0001L;
    }

    @Test
    void featuresReportThisKernel() {
        BpfFeatures features = BpfFeatures.probe();

        assertThat(features.details()).contains("BPF_F_ALL_CPUS", "BPF_F_CPU", "native .percpu globals", "BTF");
        assertThat(features.btf()).as("this kernel loads BTF").isTrue();
        assertThat(features.withoutPerCpuFlags().allCpusUpdate()).isFalse();
    }
}

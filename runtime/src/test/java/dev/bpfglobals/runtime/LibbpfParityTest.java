package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The corpus of this module's own BPF programs ({@code src/test/bpf}, each written to exercise a
 * loader feature) loaded twice, by the system's libbpf ({@code src/test/c/libbpf_reference.c}) and by this loader,
 * on the kernel under test: every object libbpf loads, this loader loads too, and the kernel then
 * holds the same programs (type, BTF, func and line info, translated length) and the same maps
 * (type, sizes, entries, flags, BTF, frozen). What a kernel says about the objects is the referee,
 * not what either loader thinks it did. Objects with {@code .percpu} sections are left out: the
 * libbpf here predates them, so it is no reference for them.
 */
@RequiresBpf
class LibbpfParityTest {

    /** libbpf names .data/.bss/.rodata/.kconfig maps after the object ("ringbuf.rodata"); this loader by section. */
    private static final Pattern PREFIXED_INTERNAL_MAP = Pattern.compile("[^.]*(\\.(data|bss|rodata|kconfig))");

    /** What the kernel reports of one program, in the terms both loaders must agree on. */
    private record ProgramFacts(String name, int type, boolean btf, int funcInfo, int lineInfo, int xlatedBytes) {
        static ProgramFacts of(ProgramInfo info) {
            return new ProgramFacts(info.name(), info.kernelType(), info.btfId() != 0, info.funcInfoCount(),
                    info.lineInfoCount(), info.xlatedLength());
        }

        @Override
        public String toString() {
            return "program " + name + " (type " + type + ", btf " + btf + ", func_info " + funcInfo + ", line_info "
                    + lineInfo + ", " + xlatedBytes + " translated bytes)";
        }
    }

    /** What the kernel reports of one map. */
    private record MapFacts(String name, String type, int keySize, int valueSize, int maxEntries, int flags,
            boolean btfValue, boolean frozen) {
        static MapFacts of(BpfMap map) throws IOException {
            MapInfo info = map.info();
            var matcher = PREFIXED_INTERNAL_MAP.matcher(info.name());
            String name = matcher.matches() ? matcher.group(1) : info.name();
            return new MapFacts(name, info.typeName(), info.keySize(), info.valueSize(), info.maxEntries(),
                    info.flags(), info.btfValueTypeId() != 0, frozen(map));
        }

        /** The kernel tells whether user space froze a map only in the descriptor's fdinfo. */
        private static boolean frozen(BpfMap map) throws IOException {
            int fd = map.fd().value();
            return Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).contains("frozen:\t1");
        }

        @Override
        public String toString() {
            return "map " + name + " (" + type + ", key " + keySize + ", value " + valueSize + ", entries " + maxEntries
                    + ", flags 0x" + Integer.toHexString(flags) + ", btf value " + btfValue + ", frozen " + frozen + ")";
        }
    }

    /** The kernel's view of one loaded object, sorted so that two views compare by content. */
    private record Loaded(TreeSet<String> programs, TreeSet<String> maps) {
    }

    /**
     * The objects the system's libbpf (1.1) refuses on every kernel of the matrix, as measured on each
     * leg: sections it predates ({@code .percpu} without {@code -g}, {@code tcx/}, {@code uprobe.multi}), programs written
     * to be refused (the verifier's or the loader's refusals under test), objects built without BTF
     * whose maps, callbacks or externs need it, and ksym and kfunc declarations its 1.1 resolves
     * otherwise than later releases. A change here changes the number compared, which
     * docs/guarantees.md states.
     */
    private static final Set<String> LIBBPF_REFUSES = Set.of(
            "all_maps.bpf-nodebug", "callback.bpf-nodebug", "calls.bpf", "calls.bpf-nodebug",
            "compat_counter.bpf-nodebug", "compat_custom_mismatch.bpf-nodebug", "compat_mismatch.bpf-nodebug",
            "compat_without_section.bpf-nodebug", "core.bpf", "core.bpf-nodebug", "data_verdict.bpf-nodebug",
            "direct_percpu.bpf", "direct_percpu.bpf-nodebug", "global_percpu_data.bpf", "global_percpu_data.bpf-nodebug",
            "hash_writes.bpf-nodebug", "kconfig.bpf-nodebug", "kfuncs.bpf", "ksyms.bpf", "ksyms.bpf-nodebug",
            "map_in_map.bpf-nodebug", "net.bpf", "net.bpf-nodebug", "percpu_const.bpf-nodebug", "percpu_initial.bpf-nodebug",
            "perf_buffer.bpf-nodebug", "perf_events.bpf-nodebug", "pinned_reader.bpf-nodebug",
            "pinned_writer.bpf-nodebug", "prog_array.bpf-nodebug", "refused.bpf", "refused.bpf-nodebug", "ringbuf.bpf-nodebug",
            "rodata_write.bpf", "rodata_write.bpf-nodebug", "typed_ksyms.bpf", "uprobe_multi.bpf", "uprobe_multi.bpf-nodebug",
            "usdt.bpf-nodebug", "user_ringbuf.bpf-nodebug", "user_ringbuf_blocking.bpf-nodebug");

    /** Objects with {@code .percpu} sections that libbpf 1.1 opens but is no reference for. */
    private static final Set<String> PERCPU = Set.of("compat_counter.bpf", "compat_custom_mismatch.bpf",
            "compat_mismatch.bpf", "compat_without_section.bpf", "globals.bpf", "globals.bpf-nodebug", "percpu_const.bpf",
            "percpu_initial.bpf");

    /** The objects with LSM programs: libbpf loads them where the kernel runs BPF LSM, and refuses them elsewhere. */
    private static final Set<String> LSM_OBJECTS = Set.of("data_verdict.bpf", "lsm.bpf");

    @Test
    void everyObjectLibbpfLoadsLoadsHereIntoTheSameProgramsAndMaps() throws Exception {
        List<String> differences = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        Set<String> refusedByLibbpf = new TreeSet<>();
        Set<String> percpu = new TreeSet<>();
        List<Path> objects = objects();
        for (Path object : objects) {
            String name = object.getFileName().toString().replace(".o", "");
            Loaded libbpf = loadWithLibbpf(object, name);
            if (libbpf == null) {
                refusedByLibbpf.add(name);
                continue;
            }
            ObjectSpec opened;
            try {
                opened = ObjectSpec.open(object);
            } catch (RuntimeException e) {
                compared.add(name);
                differences.add(name + ": libbpf opens it, this loader refused it: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            if (opened.globalSections().stream().anyMatch(GlobalSection::isPerCpu)) {
                percpu.add(name);
                continue;
            }
            compared.add(name);
            Loaded ours;
            try {
                ours = loadHere(opened);
            } catch (RuntimeException e) {
                differences.add(name + ": libbpf loads it, this loader refused it: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            describe(differences, name, "libbpf", libbpf.programs(), ours.programs());
            describe(differences, name, "libbpf", libbpf.maps(), ours.maps());
        }

        boolean lsm = KernelExpectations.has(Feature.LSM);
        Set<String> expectedRefusals = new TreeSet<>(LIBBPF_REFUSES);
        if (!lsm) {
            expectedRefusals.addAll(LSM_OBJECTS);
        }
        assertThat(refusedByLibbpf).as("objects libbpf refuses on this leg").isEqualTo(expectedRefusals);
        assertThat(percpu).as("objects with .percpu sections").isEqualTo(PERCPU);
        assertThat(compared).as("objects both loaders were held to (docs/guarantees.md: 46 on the host, 48 on 7.3 and 6.1)")
                .hasSize(objects.size() - expectedRefusals.size() - PERCPU.size());
        assertThat(differences).as("objects libbpf loads otherwise than this loader, of " + compared).isEmpty();
    }

    /** One line per fact only one side has. */
    private static void describe(List<String> differences, String object, String other, TreeSet<String> theirs,
            TreeSet<String> ours) {
        for (String fact : theirs) {
            if (!ours.contains(fact)) {
                differences.add(object + ": " + other + " made " + fact + ", this loader did not");
            }
        }
        for (String fact : ours) {
            if (!theirs.contains(fact)) {
                differences.add(object + ": this loader made " + fact + ", " + other + " did not");
            }
        }
    }

    /** Every source built as its tests build it, and again without {@code -g}: an object without BTF is loaded otherwise. */
    private static List<Path> objects() throws IOException, InterruptedException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("src/test/bpf"))) {
            sources = files.filter(p -> p.getFileName().toString().endsWith(".bpf.c")).sorted().toList();
        }
        List<Path> objects = new ArrayList<>();
        for (Path source : sources) {
            String name = source.getFileName().toString().replace(".bpf.c", "");
            String text = Files.readString(source);
            if (text.contains("\"vmlinux.h\"")) {
                objects.add(BpfObjects.compileWithVmlinux(name));
            } else {
                objects.add(BpfObjects.compile(name));
                // CO-RE builtins need BTF: clang refuses them without -g.
                if (!text.contains("bpf_core_") && !text.contains("BPF_CORE_READ")) {
                    objects.add(BpfObjects.compileWithoutDebugInfo(name));
                }
            }
        }
        return objects;
    }

    private static Loaded loadHere(ObjectSpec object) throws IOException {
        TreeSet<String> programs = new TreeSet<>();
        TreeSet<String> maps = new TreeSet<>();
        // Maps pinned by name go under a directory of this test's, as the libbpf side's do, not /sys/fs/bpf.
        Path byName = BpfPins.path("parity-byname");
        try (LoadedObject loaded = LoadedObject.load(object, LoadOptions.defaults().withPinRoot(byName))) {
            for (ProgramSpec spec : object.programs()) {
                if (spec.autoload()) {
                    try (BpfProgram program = loaded.program(spec.name())) {
                        programs.add(ProgramFacts.of(program.info()).toString());
                    }
                }
            }
            for (String name : loaded.mapNames()) {
                try (BpfMap map = loaded.map(name)) {
                    maps.add(MapFacts.of(map).toString());
                }
            }
        } finally {
            removeAll(byName);
        }
        return new Loaded(programs, maps);
    }

    /** The kernel's view of what libbpf made of {@code object}, or null if libbpf refuses it. */
    private static Loaded loadWithLibbpf(Path object, String name) throws IOException, InterruptedException {
        Path pins = BpfPins.path("parity-" + name.replace('.', '_')); // bpffs refuses dots in new names
        try {
            Files.createDirectories(pins.resolve("progs"));
            Files.createDirectories(pins.resolve("maps"));
            Process libbpf = new ProcessBuilder(referenceLoader().toString(), object.toString(), pins.toString())
                    .redirectErrorStream(true).start();
            libbpf.getOutputStream().close();
            String output = new String(libbpf.getInputStream().readAllBytes());
            if (!libbpf.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("libbpf_reference did not finish on " + object);
            }
            if (libbpf.exitValue() == 1) {
                return null;
            }
            assertThat(libbpf.exitValue()).as("libbpf_reference " + object + ": " + output).isZero();
            TreeSet<String> programs = new TreeSet<>();
            TreeSet<String> maps = new TreeSet<>();
            for (Path pin : list(pins.resolve("progs"))) {
                try (BpfProgram program = BpfProgram.openPinned(pin)) {
                    programs.add(ProgramFacts.of(program.info()).toString());
                }
            }
            for (Path pin : list(pins.resolve("maps"))) {
                try (BpfMap map = BpfMap.openPinned(pin, MapAccess.READ_ONLY)) {
                    maps.add(MapFacts.of(map).toString());
                }
            }
            return new Loaded(programs, maps);
        } finally {
            removeAll(pins);
        }
    }

    /** {@code target/test-bin/libbpf_reference}, built with cc against the system libbpf from src/test/c when missing or older. */
    private static synchronized Path referenceLoader() throws IOException, InterruptedException {
        Path source = Path.of("src/test/c/libbpf_reference.c");
        Path binary = Files.createDirectories(Path.of("target/test-bin")).resolve("libbpf_reference");
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary.toAbsolutePath();
        }
        Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString(), "-lbpf")
                .redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor()).as("cc " + source + ": " + output).isZero();
        return binary.toAbsolutePath();
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void removeAll(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}

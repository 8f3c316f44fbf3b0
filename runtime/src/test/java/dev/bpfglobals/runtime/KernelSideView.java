package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import dev.bpfglobals.runtime.testing.BpfPins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the kernel holds after one loader loaded one object, in the terms libbpf and this loader must
 * agree on: its programs (type, BTF, func and line info, translated length) and its maps (type, sizes,
 * entries, flags, BTF, frozen). The parity tests ({@link LibbpfParityTest} over this module's corpus,
 * {@link SelftestParityTest} over the kernel's selftests) load each object once with the system's libbpf
 * ({@code src/test/c/libbpf_reference.c}) and once here, and compare the two views; the kernel is the
 * referee, not what either loader thinks it did.
 *
 * @param programs one line per loaded program, sorted
 * @param maps one line per created map, sorted
 */
record KernelSideView(TreeSet<String> programs, TreeSet<String> maps) {

    /** libbpf names .data/.bss/.rodata/.kconfig maps after the object ("ringbuf.rodata"); this loader by section. */
    private static final Pattern PREFIXED_INTERNAL_MAP = Pattern.compile("[^.]*(\\.(data|bss|rodata|kconfig))");

    /** What libbpf made of an object: the kernel's view, or libbpf's refusal (its last line of output). */
    record LibbpfOutcome(KernelSideView view, String refusal) {
        boolean loaded() {
            return view != null;
        }
    }

    /** One line per fact only one side has ({@code other} names the other side), empty when the views agree. */
    List<String> differencesFrom(String object, String other, KernelSideView theirs) {
        List<String> differences = new ArrayList<>();
        describe(differences, object, other, theirs.programs(), programs);
        describe(differences, object, other, theirs.maps(), maps);
        return differences;
    }

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

    /** Loads {@code object} with this loader and reads back what the kernel holds; a refusal is thrown. */
    static KernelSideView loadHere(ObjectSpec object) throws IOException {
        // Maps pinned by name go under a directory of this test's, as the libbpf side's do, not /sys/fs/bpf.
        Path byName = BpfPins.path("parity-byname");
        try (LoadedObject loaded = LoadedObject.load(object, LoadOptions.defaults().withPinRoot(byName))) {
            return of(loaded, object);
        } finally {
            removeAll(byName);
        }
    }

    /** What the kernel holds of {@code loaded}'s programs and maps. */
    static KernelSideView of(LoadedObject loaded, ObjectSpec object) throws IOException {
        TreeSet<String> programs = new TreeSet<>();
        TreeSet<String> maps = new TreeSet<>();
        for (ProgramSpec spec : object.programs()) {
            if (spec.autoload()) {
                try (BpfProgram program = loaded.program(spec.name())) {
                    programs.add(programFacts(program.info()));
                }
            }
        }
        for (String name : loaded.mapNames()) {
            try (BpfMap map = loaded.map(name)) {
                maps.add(mapFacts(map));
            }
        }
        return new KernelSideView(programs, maps);
    }

    /** Loads {@code object} with the system's libbpf in a child process and reads back what the kernel holds. */
    static LibbpfOutcome loadWithLibbpf(Path object, String name) throws IOException, InterruptedException {
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
                return new LibbpfOutcome(null, output.strip().lines().reduce((first, last) -> last).orElse(""));
            }
            assertThat(libbpf.exitValue()).as("libbpf_reference " + object + ": " + output).isZero();
            TreeSet<String> programs = new TreeSet<>();
            TreeSet<String> maps = new TreeSet<>();
            for (Path pin : list(pins.resolve("progs"))) {
                try (BpfProgram program = BpfProgram.openPinned(pin)) {
                    programs.add(programFacts(program.info()));
                }
            }
            for (Path pin : list(pins.resolve("maps"))) {
                try (BpfMap map = BpfMap.openPinned(pin, MapAccess.READ_ONLY)) {
                    maps.add(mapFacts(map));
                }
            }
            return new LibbpfOutcome(new KernelSideView(programs, maps), null);
        } finally {
            removeAll(pins);
        }
    }

    private static String programFacts(ProgramInfo info) {
        return "program " + info.name() + " (type " + info.kernelType() + ", btf " + (info.btfId() != 0) + ", func_info "
                + info.funcInfoCount() + ", line_info " + info.lineInfoCount() + ", " + info.xlatedLength()
                + " translated bytes)";
    }

    private static String mapFacts(BpfMap map) throws IOException {
        MapInfo info = map.info();
        var matcher = PREFIXED_INTERNAL_MAP.matcher(info.name());
        String name = matcher.matches() ? matcher.group(1) : info.name();
        return "map " + name + " (" + info.typeName() + ", key " + info.keySize() + ", value " + info.valueSize()
                + ", entries " + info.maxEntries() + ", flags 0x" + Integer.toHexString(info.flags()) + ", btf value "
                + (info.btfValueTypeId() != 0) + ", frozen " + frozen(map) + ")";
    }

    /** The kernel tells whether user space froze a map only in the descriptor's fdinfo. */
    private static boolean frozen(BpfMap map) throws IOException {
        int fd = map.fd().value();
        return Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).contains("frozen:\t1");
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

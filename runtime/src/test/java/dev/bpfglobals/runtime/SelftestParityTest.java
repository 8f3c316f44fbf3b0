package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own BPF selftests ({@code tools/testing/selftests/bpf/progs/*.c} of the kernel under test,
 * compiled by {@code bin/selftest-objects VERSION} into the directory the property
 * {@code bpfglobals.selftestObjects} names) loaded by the system's libbpf and by this loader, compared as
 * {@link LibbpfParityTest} compares this module's corpus ({@link KernelSideView}). Every object libbpf
 * loads must load here into the same programs and maps, except the gaps listed with their reasons in
 * {@code selftest-parity-exceptions.txt}: a new gap fails, and so does a listed one that now passes.
 *
 * <p>Left out, by rule, and counted: objects written to be refused, whose file name holds {@code fail}, or
 * which libbpf refuses and whose BTF carries the selftests' {@code __failure} tag
 * ({@code comment:N:test_expect_failure}: libbpf loads every program of an object, so it refuses them whole);
 * and objects with an autoloaded program of a type this loader does not load ({@link LoadedObject#SUPPORTED}).
 * Other objects libbpf refuses are counted and printed by its reason.
 *
 * <p>The objects are built against one kernel's {@code vmlinux.h}, so the test runs on the leg of that
 * kernel (CI's 7.3 leg); Maven selects it only when the property is given (runtime/pom.xml).
 */
@RequiresBpf
class SelftestParityTest {

    /** The property naming the directory of compiled selftests. */
    private static final String PROPERTY = "bpfglobals.selftestObjects";

    /**
     * The property choosing one object in N by the CRC-32 of its name ("1", the default, takes all): a
     * deterministic share that keeps the leg's time within CI's budget under emulation.
     */
    private static final String SHARE_PROPERTY = "bpfglobals.selftestShare";

    /**
     * The end of the selftests' {@code __failure} annotation as it lands in an object's BTF strings, NUL
     * included: {@code comment:test_expect_failure} before 6.x's {@code __test_tag} and
     * {@code comment:N:test_expect_failure} (N from {@code __COUNTER__}) in 7.3's, never {@code __failure_unpriv}'s.
     */
    private static final byte[] FAILURE_TAG = ":test_expect_failure\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * How many objects libbpf loaded on 7.3, measured in the VM (docs/loading-and-attaching.md#parity-with-libbpf),
     * for the whole corpus and for CI's share; fewer means the corpus or the reference broke.
     */
    private static int minimumCompared(int share) {
        return switch (share) {
            case 1 -> 454;
            case 3 -> 195;
            default -> 1;
        };
    }

    @Test
    void everyObjectLibbpfLoadsLoadsHereIntoTheSameProgramsAndMapsBarTheListedExceptions() throws Exception {
        String property = System.getProperty(PROPERTY, "");
        assertThat(property).as("-D" + PROPERTY + "=DIR (bin/selftest-objects VERSION prints DIR)").isNotBlank();
        Path directory = Path.of(property);
        int share = Integer.parseInt(System.getProperty(SHARE_PROPERTY, "1").strip());
        List<Path> objects = objects(directory);
        assertThat(objects).as("compiled selftests in " + directory).isNotEmpty();

        Map<String, String> excluded = new TreeMap<>();
        Map<String, String> outOfScope = new TreeMap<>();
        Map<String, String> refusedByLibbpf = new TreeMap<>();
        Map<String, String> gaps = new TreeMap<>();
        List<String> compared = new ArrayList<>();
        Map<String, Long> millis = new TreeMap<>();
        int unsampled = 0;
        for (Path object : objects) {
            String name = object.getFileName().toString().replace(".bpf.o", "");
            if (!sampled(name, share)) {
                unsampled++;
                continue;
            }
            long started = System.nanoTime();
            if (name.contains("fail")) {
                excluded.put(name, "written to be refused");
                continue;
            }
            String unsupported = unsupportedType(object);
            if (unsupported != null) {
                outOfScope.put(name, unsupported);
                continue;
            }
            KernelSideView.LibbpfOutcome libbpf = KernelSideView.loadWithLibbpf(object, name);
            if (!libbpf.loaded()) {
                // An object with a program tagged __failure is refused whole by libbpf (it loads every program); one
                // whose tagged programs are not autoloaded loads, and is compared like any other.
                if (contains(object, FAILURE_TAG)) {
                    excluded.put(name, "written to be refused");
                } else {
                    refusedByLibbpf.put(name, libbpf.refusal());
                }
                continue;
            }
            compared.add(name);
            String gap = gap(object, name, libbpf.view());
            if (gap != null) {
                gaps.put(name, gap);
            }
            millis.put(name, (System.nanoTime() - started) / 1_000_000);
        }

        Map<String, String> exceptions = exceptions();
        Map<String, String> exceptionsInShare = new TreeMap<>(exceptions);
        exceptionsInShare.keySet().removeIf(name -> !sampled(name, share));
        System.out.printf("selftest parity: share 1 in %d: %d of %d objects; slowest pairs of loads (ms): %s%n", share,
                objects.size() - unsampled, objects.size(), millis.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12).toList());
        report(objects.size(), directory, excluded, outOfScope, refusedByLibbpf, compared, gaps, exceptionsInShare);
        List<String> newGaps = gaps.entrySet().stream().filter(e -> !exceptions.containsKey(e.getKey()))
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
        List<String> passingExceptions = exceptions.keySet().stream()
                .filter(name -> compared.contains(name) && !gaps.containsKey(name)).toList();
        List<String> staleExceptions = exceptions.keySet().stream()
                .filter(name -> sampled(name, share) && !compared.contains(name)).toList();
        assertThat(compared).as("objects both loaders were held to").hasSizeGreaterThanOrEqualTo(minimumCompared(share));
        assertThat(newGaps).as("objects libbpf loads that this loader refuses or loads otherwise (not in the exceptions)")
                .isEmpty();
        assertThat(passingExceptions).as("listed exceptions that now load identically: remove them from the list")
                .isEmpty();
        assertThat(staleExceptions).as("listed exceptions libbpf no longer loads or that are gone: remove them")
                .isEmpty();
    }

    /**
     * The first program type of the object's autoloaded programs (as the section table names them) that
     * this loader does not load ({@link LoadedObject#SUPPORTED}), or null. Such objects are out of scope:
     * this loader refuses them by design, and loading them with libbpf under emulation would cost minutes.
     * An object this loader cannot even open stays in scope, so its refusal counts as a gap.
     */
    private static String unsupportedType(Path object) throws IOException {
        ObjectSpec spec;
        try {
            spec = ObjectSpec.open(object);
        } catch (RuntimeException e) {
            return null;
        }
        return spec.programs().stream().filter(ProgramSpec::autoload).map(ProgramSpec::type)
                .filter(type -> !LoadedObject.SUPPORTED.contains(type)).map(String::valueOf).findFirst().orElse(null);
    }

    /** This loader's refusal or first difference from libbpf's view, or null when both agree. */
    private static String gap(Path object, String name, KernelSideView libbpf) throws IOException {
        KernelSideView ours;
        try {
            ours = KernelSideView.loadHere(ObjectSpec.open(object));
        } catch (RuntimeException e) {
            return "refused: " + Objects.toString(e.getMessage(), e.toString()).lines().findFirst().orElse("");
        }
        List<String> differences = ours.differencesFrom(name, "libbpf", libbpf);
        return differences.isEmpty() ? null : "differs: " + differences.getFirst() + " (+" + (differences.size() - 1) + ")";
    }

    /** Whether the object named {@code name} is in the share: its name's CRC-32 is a multiple of {@code share}. */
    private static boolean sampled(String name, int share) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % share == 0;
    }

    private static List<Path> objects(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".bpf.o")).sorted().toList();
        }
    }

    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The checked list of known gaps: "object: reason" a line, {@code #} comments. */
    private static Map<String, String> exceptions() throws IOException {
        Map<String, String> exceptions = new TreeMap<>();
        try (InputStream in = SelftestParityTest.class.getResourceAsStream("/selftest-parity-exceptions.txt")) {
            assertThat(in).as("selftest-parity-exceptions.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int colon = line.indexOf(':');
                    exceptions.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        }
        return exceptions;
    }

    /** The counts the docs quote, and every refusal and gap, on the test's output. */
    private static void report(int total, Path directory, Map<String, String> excluded, Map<String, String> outOfScope,
            Map<String, String> refusedByLibbpf, List<String> compared, Map<String, String> gaps, Map<String, String> exceptions) throws IOException {
        Path failures = directory.resolve("compile-failures.txt");
        long notCompiled = Files.exists(failures) ? Files.readAllLines(failures).size() : 0;
        System.out.printf("selftest parity: %d compiled (%d refused by clang), %d written to be refused, %d of program types"
                + " this loader does not load, %d refused by libbpf, %d loaded by libbpf, %d identical here, %d known exceptions,"
                + " %d new gaps%n", total, notCompiled, excluded.size(), outOfScope.size(), refusedByLibbpf.size(),
                compared.size(), compared.size() - gaps.size(), exceptions.size(), gaps.keySet().stream().filter(k -> !exceptions.containsKey(k)).count());
        Map<String, TreeSet<String>> byReason = refusedByLibbpf.entrySet().stream().collect(Collectors.groupingBy(
                e -> e.getValue().replaceAll("/\\S+", "PATH"), TreeMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toCollection(TreeSet::new))));
        outOfScope.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new, Collectors.counting()))
                .forEach((type, count) -> System.out.println("  out of scope: " + count + " with " + type + " programs"));
        byReason.forEach((reason, names) -> System.out.println("  libbpf refuses " + names.size() + " (" + reason + "): " + names));
        gaps.forEach((name, gap) -> System.out.println("  gap " + name + ": " + gap));
    }
}

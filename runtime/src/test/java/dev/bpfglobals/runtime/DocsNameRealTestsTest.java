package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs cannot promise what no test holds: every test class or method that README.md or a page
 * of docs/ names must exist, and the CI legs docs/guarantees.md gives for each kernel feature must be
 * the legs whose kernel bin/kernel-expectations states has it.
 */
class DocsNameRealTestsTest {

    /** The repository: the parent of this module's directory, where surefire runs. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** {@code `SomethingTest`} or {@code `SomethingTest.someMethod`} in backticks. */
    private static final Pattern NAMED_TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*Test)(?:\\.([a-z][A-Za-z0-9]*))?`");

    /** A row of bin/kernel-expectations: {@code   PATTERN) echo FEATURES ;;}. */
    private static final Pattern EXPECTATION_ROW = Pattern.compile("(?m)^\\s+(\\S+)\\) echo (\\S+) ;;$");

    /** A row of the feature table: feature, what, tests, success legs, refusal legs. */
    private static final Pattern FEATURE_ROW =
            Pattern.compile("(?m)^\\| `([a-z-]+)` \\| [^|]+ \\| [^|]+ \\| ([^|]+) \\| ([^|]+) \\|$");

    @Test
    void everyTestTheDocsNameExistsWithEveryNamedMethod() throws IOException {
        Map<String, Path> testSources = testSources();
        List<String> missing = new ArrayList<>();
        for (Path page : pages()) {
            Matcher named = NAMED_TEST.matcher(Files.readString(page));
            while (named.find()) {
                Path source = testSources.get(named.group(1));
                if (source == null) {
                    missing.add(ROOT.relativize(page) + " names " + named.group(1) + ", which no module has");
                } else if (named.group(2) != null && !Files.readString(source).contains(" " + named.group(2) + "(")) {
                    missing.add(ROOT.relativize(page) + " names " + named.group(0) + ", but " + ROOT.relativize(source)
                            + " has no such method");
                }
            }
        }
        assertThat(missing).as("tests the docs name").isEmpty();
    }

    @Test
    void theLegsGivenForEachKernelFeatureAreTheLegsStatedToHaveIt() throws IOException {
        Map<String, Set<String>> legs = legFeatures();
        assertThat(legs).as("the legs of bin/kernel-expectations").containsOnlyKeys("host", "7.3", "6.1");
        Matcher row = FEATURE_ROW.matcher(Files.readString(ROOT.resolve("docs/guarantees.md")));
        Set<String> described = new TreeSet<>();
        while (row.find()) {
            String feature = row.group(1);
            described.add(feature);
            Set<String> having = new TreeSet<>();
            Set<String> lacking = new TreeSet<>();
            legs.forEach((leg, features) -> (features.contains(feature) ? having : lacking).add(leg));
            assertThat(legList(row.group(2))).as("legs docs/guarantees.md gives for %s's success path", feature)
                    .isEqualTo(having);
            assertThat(legList(row.group(3))).as("legs docs/guarantees.md gives for %s's refusal", feature)
                    .isEqualTo(lacking);
        }
        Set<String> stated = new TreeSet<>();
        legs.values().forEach(stated::addAll);
        assertThat(described).as("features of the table in docs/guarantees.md").containsAll(stated);
    }

    private static Set<String> legList(String cell) {
        Set<String> legs = new TreeSet<>();
        for (String leg : cell.split(",")) {
            if (!leg.isBlank() && !leg.strip().equals("none")) {
                legs.add(leg.strip());
            }
        }
        return legs;
    }

    /** Each leg's stated features: the host is the row for this machine kind's Firecracker build. */
    private static Map<String, Set<String>> legFeatures() throws IOException {
        Map<String, Set<String>> legs = new LinkedHashMap<>();
        Matcher row = EXPECTATION_ROW.matcher(Files.readString(ROOT.resolve("bin/kernel-expectations")));
        while (row.find()) {
            String pattern = row.group(1);
            String leg = pattern.contains("-fc-") ? "host" : pattern.substring(0, pattern.indexOf('|'));
            legs.put(leg, new TreeSet<>(List.of(row.group(2).split(","))));
        }
        return legs;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Every test source of every module, by class name. */
    private static Map<String, Path> testSources() throws IOException {
        Map<String, Path> sources = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path testRoot : modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(testRoot)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .forEach(f -> sources.put(f.getFileName().toString().replace(".java", ""), f));
                }
            }
        }
        return sources;
    }
}

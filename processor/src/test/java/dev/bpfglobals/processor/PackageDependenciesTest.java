package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering, read off the imports (which see inlined constants) and off the
 * compiled classes with jdeps (which sees fully qualified names used without an import): validation turns elements into the
 * model, generators read only the model, the layout engine knows nothing of javac, and no two
 * packages depend on each other. Of the other modules it uses the annotations and the contract,
 * never the runtime, whose classes generated code names only as strings.
 */
class PackageDependenciesTest {

    private static final String PROCESSOR = "dev.bpfglobals.processor";
    private static final Path CLASSES = Path.of("target/classes");

    private static final Path SOURCES = Path.of("src/main/java/dev/bpfglobals/processor");

    private static List<String> imports(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            return files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream().filter(l -> l.startsWith("import "))
                            .map(l -> file.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void generatorsDependOnTheModelNotOnValidation() throws IOException {
        assertThat(imports("generate")).noneMatch(l -> l.contains("dev.bpfglobals.processor.validation"));
    }

    @Test
    void theModelDependsOnNeitherValidationNorGenerators() throws IOException {
        assertThat(imports("model")).noneMatch(l -> l.contains("processor.validation") || l.contains("processor.generate"));
    }

    @Test
    void theLayoutEngineIsFreeOfJavacAndOfTheOtherPackages() throws IOException {
        assertThat(imports("layout")).allMatch(l -> l.contains("import java.util."));
    }

    /** One line of jdeps' report: a processor package, then a package it uses. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(PROCESSOR) + "\\S*)\\s+->\\s+(\\S+)");

    /** jdeps' package-level report on the processor's classes: one line per edge. */
    private static String jdeps() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                CLASSES.toString());
        assertThat(status).as(out.toString()).isZero();
        return out.toString();
    }

    /** Every package of the processor, each with the other processor packages its classes use (jdeps). */
    private static Map<String, Set<String>> compiledDependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        jdeps().lines().map(EDGE::matcher).filter(Matcher::find).forEach(m -> {
            Set<String> targets = graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(2).startsWith(PROCESSOR) && !m.group(2).equals(m.group(1))) {
                targets.add(m.group(2));
            }
        });
        return graph;
    }

    @Test
    void compiledPackagesDependOnlyInTheAllowedDirection() {
        Map<String, Set<String>> graph = compiledDependencies();

        assertThat(graph).containsOnlyKeys(PROCESSOR, PROCESSOR + ".generate", PROCESSOR + ".layout",
                PROCESSOR + ".model", PROCESSOR + ".validation");
        assertThat(graph.get(PROCESSOR + ".layout")).isEmpty();
        assertThat(graph.get(PROCESSOR + ".model")).containsOnly(PROCESSOR + ".layout");
        assertThat(graph.get(PROCESSOR + ".generate")).containsOnly(PROCESSOR + ".model", PROCESSOR + ".layout");
        assertThat(graph.get(PROCESSOR + ".validation")).containsOnly(PROCESSOR + ".model", PROCESSOR + ".layout");
    }

    @Test
    void ofTheOtherModulesOnlyTheAnnotationsAndTheContractAreUsed() {
        Set<String> ours = jdeps().lines().map(EDGE::matcher).filter(Matcher::find).map(m -> m.group(2))
                .filter(pkg -> pkg.startsWith("dev.bpfglobals.") && !pkg.startsWith(PROCESSOR))
                .collect(Collectors.toCollection(TreeSet::new));

        // The runtime is FFM code a build has no use for; a user's processor path does not hold it.
        assertThat(ours).containsOnly("dev.bpfglobals.annotations", "dev.bpfglobals.contract");
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> graph = compiledDependencies();

        for (String from : graph.keySet()) {
            assertThat(reachable(graph, from)).as("packages reachable from %s", from).doesNotContain(from);
        }
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }
}

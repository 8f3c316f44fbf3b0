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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering, read off the imports (which see inlined constants) and off the
 * compiled classes with jdeps (which sees fully qualified names used without an import): validation turns elements into the
 * model, generators read only the model, the layout engine knows nothing of javac, and no two
 * packages depend on each other.
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

    /** Every package of the processor, each with the other processor packages its classes use (jdeps). */
    private static Map<String, Set<String>> compiledDependencies() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                CLASSES.toString());
        assertThat(status).as(out.toString()).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        Pattern edge = Pattern.compile("^\\s+(" + Pattern.quote(PROCESSOR) + "\\S*)\\s+->\\s+(\\S+)");
        out.toString().lines().map(edge::matcher).filter(Matcher::find).forEach(m -> {
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

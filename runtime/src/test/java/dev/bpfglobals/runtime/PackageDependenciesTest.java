package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layering, read off the compiled classes with jdeps: {@code kernel} at the bottom
 * depends on nothing of ours; {@code internal} (syscalls, attribute layouts, FFM) only on it;
 * {@code elf} and {@code btf} on those (and {@code btf} on {@code contract}); {@code contract} only
 * on {@code kernel}; the root package on all of those; {@code object} on everything. No cycles.
 */
class PackageDependenciesTest {

    private static final String RUNTIME = "dev.bpfglobals.runtime";
    private static final Path CLASSES = Path.of("target/classes");

    /** Every package of the runtime, each with the other runtime packages its classes use. */
    private static Map<String, Set<String>> compiledDependencies() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                CLASSES.toString());
        assertThat(status).as(out.toString()).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        Pattern edge = Pattern.compile("^\\s+(" + Pattern.quote(RUNTIME) + "\\S*)\\s+->\\s+(\\S+)");
        out.toString().lines().map(edge::matcher).filter(Matcher::find).forEach(m -> {
            Set<String> targets = graph.computeIfAbsent(short_(m.group(1)), k -> new TreeSet<>());
            if (m.group(2).startsWith(RUNTIME) && !m.group(2).equals(m.group(1))) {
                targets.add(short_(m.group(2)));
            }
        });
        return graph;
    }

    /** {@code root} for the runtime's own package, else the last name ({@code kernel}). */
    private static String short_(String pkg) {
        return pkg.equals(RUNTIME) ? "root" : pkg.substring(RUNTIME.length() + 1);
    }

    @Test
    void packagesDependOnlyDownTheLayers() {
        Map<String, Set<String>> graph = compiledDependencies();

        assertThat(graph).containsOnlyKeys("root", "kernel", "internal", "elf", "btf", "contract", "object");
        assertThat(graph.get("kernel")).isEmpty();
        assertThat(graph.get("internal")).containsOnly("kernel");
        assertThat(graph.get("contract")).containsOnly("kernel");
        assertThat(graph.get("elf")).isSubsetOf("internal", "kernel");
        assertThat(graph.get("btf")).isSubsetOf("internal", "kernel", "contract");
        assertThat(graph.get("root")).isSubsetOf("btf", "contract", "internal", "kernel");
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> graph = compiledDependencies();

        for (String from : graph.keySet()) {
            assertThat(reachable(graph, from)).as("packages reachable from %s", from).doesNotContain(from);
        }
    }

    @Test
    void theModuleExportsTheUserApiAndNotTheMachinery() throws Exception {
        ModuleDescriptor module;
        try (var in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }

        assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(RUNTIME, RUNTIME + ".kernel", RUNTIME + ".contract", RUNTIME + ".object");
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

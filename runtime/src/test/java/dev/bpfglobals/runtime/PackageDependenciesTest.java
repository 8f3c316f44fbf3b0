package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
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
 * depends on nothing of the runtime's; {@code internal} (syscalls, attribute layouts, FFM) only on
 * it; {@code internal.kernelenv} (kallsyms, kconfig, tracefs, perf events, netlink) on those two;
 * {@code elf} and {@code btf} on {@code internal} and {@code kernel}; {@code attach} (the section
 * table and one class per attach family) on the internal packages, {@code kernel} and {@code elf}
 * (uprobes and USDT read the binaries they attach to); {@code internal.light} (the light skeleton's
 * loader program and its runner) on {@code internal}, {@code kernel}, {@code btf} and {@code elf};
 * {@code internal.loader} (the ELF-to-spec readers, linking, relocation, CO-RE, the steps of a load and the light plan, on data of its own) on all of
 * those; the root package (the public specs over the loader's data, and the live types) on all of
 * those and the loader. No package below the root uses the loader, nor the loader the root. No
 * cycles. Below them all is the contract module, the one other bpf-globals module the runtime uses.
 */
class PackageDependenciesTest {

    private static final String RUNTIME = "dev.bpfglobals.runtime";
    private static final Path CLASSES = Path.of("target/classes");
    /** One line of jdeps' report: a runtime package, then a package it uses. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(RUNTIME) + "\\S*)\\s+->\\s+(\\S+)");

    /** jdeps' package-level report on the runtime's classes: one line per edge. */
    private static String jdeps() throws URISyntaxException {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        // The runtime's module requires the contract's, so jdeps must be able to find it.
        Path contract = Path.of(MapType.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "--module-path", contract.toString(), CLASSES.toString());
        assertThat(status).as(out.toString()).isZero();
        return out.toString();
    }

    /** Every package of the runtime, each with the other runtime packages its classes use. */
    private static Map<String, Set<String>> compiledDependencies() throws URISyntaxException {
        Map<String, Set<String>> graph = new TreeMap<>();
        jdeps().lines().map(EDGE::matcher).filter(Matcher::find).forEach(m -> {
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
    void packagesDependOnlyDownTheLayers() throws URISyntaxException {
        Map<String, Set<String>> graph = compiledDependencies();

        assertThat(graph).containsOnlyKeys("root", "kernel", "internal", "internal.kernelenv", "internal.light", "elf", "btf",
                "attach", "internal.loader");
        assertThat(graph.get("kernel")).isEmpty();
        assertThat(graph.get("internal")).containsOnly("kernel");
        assertThat(graph.get("internal.kernelenv")).isSubsetOf("internal", "kernel");
        assertThat(graph.get("elf")).isSubsetOf("internal", "kernel");
        assertThat(graph.get("btf")).isSubsetOf("internal", "kernel");
        assertThat(graph.get("internal.light")).isSubsetOf("btf", "elf", "internal", "kernel");
        assertThat(graph.get("attach")).isSubsetOf("elf", "internal", "internal.kernelenv", "kernel");
        assertThat(graph.get("internal.loader")).isSubsetOf("attach", "btf", "elf", "internal", "internal.kernelenv", "internal.light",
                "kernel");
        assertThat(graph.get("root")).isSubsetOf("attach", "btf", "elf", "internal", "internal.kernelenv", "internal.light",
                "internal.loader", "kernel");
    }

    @Test
    void ofTheOtherModulesOnlyTheContractIsUsed() throws URISyntaxException {
        Set<String> ours = jdeps().lines().map(EDGE::matcher).filter(Matcher::find).map(m -> m.group(2))
                .filter(pkg -> pkg.startsWith("dev.bpfglobals.") && !pkg.startsWith(RUNTIME))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(ours).containsOnly("dev.bpfglobals.contract");
    }

    @Test
    void noPackageCycles() throws URISyntaxException {
        Map<String, Set<String>> graph = compiledDependencies();

        for (String from : graph.keySet()) {
            assertThat(reachable(graph, from)).as("packages reachable from %s", from).doesNotContain(from);
        }
    }

    private static ModuleDescriptor module() throws Exception {
        try (var in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theModuleExportsTheUserApiAndNotTheMachinery() throws Exception {
        ModuleDescriptor module = module();

        assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(RUNTIME, RUNTIME + ".attach", RUNTIME + ".kernel");
    }

    @Test
    void theModulePassesTheContractOnToItsUsers() throws Exception {
        ModuleDescriptor module = module();

        // Its API takes and returns contract types, so a user requiring the runtime must read them too.
        assertThat(module.requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("dev.bpfglobals.contract");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        });
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

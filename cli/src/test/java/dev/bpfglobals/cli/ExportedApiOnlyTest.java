package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI and the benchmarks are users of the runtime like any other: they may use only the
 * packages the runtime's module-info exports. The CLI's compiled classes are read with jdeps (which
 * sees fully qualified names and inlined uses); the benchmarks, built after this module, by their
 * sources' references to runtime packages.
 */
class ExportedApiOnlyTest {

    private static final String RUNTIME = "dev.bpfglobals.runtime";

    /** The packages the runtime on the classpath exports, from its own module descriptor. */
    private static Set<String> exported() throws IOException, URISyntaxException {
        Path location = Path.of(BpfMap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module;
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                module = ModuleDescriptor.read(in);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile()); InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
                module = ModuleDescriptor.read(in);
            }
        }
        return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void theCliUsesOnlyExportedRuntimePackages() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                Path.of("target/classes").toString());
        assertThat(status).as(out.toString()).isZero();
        Set<String> used = new TreeSet<>();
        Pattern edge = Pattern.compile("->\\s+(" + Pattern.quote(RUNTIME) + "\\S*)");
        out.toString().lines().map(edge::matcher).filter(Matcher::find).forEach(m -> used.add(m.group(1)));

        assertThat(used).as("runtime packages the CLI uses").isNotEmpty().isSubsetOf(exported());
    }

    @Test
    void theBenchmarksUseOnlyExportedRuntimePackages() throws Exception {
        Path sources = Path.of("../benchmarks/src/main/java");
        assertThat(sources).isDirectory();
        Set<String> used = new TreeSet<>();
        // A package is the dotted prefix before the first capitalised name: runtime.kernel.BpfFd -> runtime.kernel.
        Pattern reference = Pattern.compile(Pattern.quote(RUNTIME) + "(\\.[a-z_][a-z0-9_]*)*(?=\\.[A-Z])");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = reference.matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }

        assertThat(used).as("runtime packages the benchmarks use").isNotEmpty().isSubsetOf(exported());
    }
}

package dev.bpfglobals.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the contract may use, read off the compiled classes with jdeps: the JDK alone, and of it
 * not FFM ({@code java.lang.foreign}), so that the processor, which writes contracts at build time,
 * needs nothing of the runtime's.
 */
class PackageDependenciesTest {

    private static final Path CLASSES = Path.of("target/classes");

    /** Every package the contract's classes use, its own aside. */
    private static Set<String> usedPackages() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                CLASSES.toString());
        assertThat(status).as(out.toString()).isZero();
        Pattern edge = Pattern.compile("^\\s+dev\\.bpfglobals\\.contract\\s+->\\s+(\\S+)");
        return out.toString().lines().map(edge::matcher).filter(Matcher::find).map(m -> m.group(1))
                .filter(pkg -> !pkg.equals("dev.bpfglobals.contract")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theContractUsesTheJdkAloneWithoutFfm() {
        assertThat(usedPackages()).isNotEmpty()
                .allMatch(pkg -> pkg.startsWith("java."), "a JDK package")
                .doesNotContain("java.lang.foreign");
    }

    @Test
    void theModuleRequiresNothingButJavaBase() throws Exception {
        ModuleDescriptor module;
        try (var in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }

        assertThat(module.requires()).extracting(ModuleDescriptor.Requires::name).containsExactly("java.base");
        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.bpfglobals.contract");
    }
}

package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.ObjectSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real goal on small projects: javac with the processor, then clang, then the contract check. */
class CompileBpfMojoTest {

    private static final String FLOW_V1 = """
            package demo;
            import dev.bpfglobals.annotations.PerCpu;
            import dev.bpfglobals.annotations.Unsigned;
            public record FlowStats(@PerCpu @Unsigned long packets, @PerCpu @Unsigned long bytes) {}
            """;
    /** The same record after a change the object did not follow: a new first variable moves the others. */
    private static final String FLOW_V2 = """
            package demo;
            import dev.bpfglobals.annotations.PerCpu;
            import dev.bpfglobals.annotations.Unsigned;
            public record FlowStats(@PerCpu @Unsigned int drops, @PerCpu @Unsigned long packets, @PerCpu @Unsigned long bytes) {}
            """;
    private static final String FLOW_C = """
            #include "demo.FlowStats.h"
            #include <linux/bpf.h>
            SEC("xdp")
            int count(struct xdp_md *ctx)
            {
            	BPF_PERCPU(packets) += 1;
            	BPF_PERCPU(bytes) += ctx->data_end - ctx->data;
            	return XDP_PASS;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    @TempDir
    Path dir;

    @Test
    void eachSourceBecomesAClassPathResourceMatchingItsRecord() throws Exception {
        TestProject project = new TestProject(dir).record("demo/FlowStats.java", FLOW_V1).bpf("flow", FLOW_C);

        project.mojo("compat").execute();

        ObjectSpec object = ObjectSpec.open(project.object("flow.bpf.o"));
        assertThat(object.globalSection(".percpu").orElseThrow().variables()).hasSize(2);
        assertThat(object.map("__percpu_compat")).isPresent();
    }

    @Test
    void modeBothBuildsACompatAndANativeObjectFromOneSource() throws Exception {
        TestProject project = new TestProject(dir).record("demo/FlowStats.java", FLOW_V1).bpf("flow", FLOW_C);

        project.mojo("both").execute();

        assertThat(ObjectSpec.open(project.object("flow.bpf.o")).map("__percpu_compat")).isPresent();
        assertThat(ObjectSpec.open(project.object("flow.native.bpf.o")).map("__percpu_compat")).isEmpty();
    }

    @Test
    void eachObjectIsCheckedOnlyAgainstTheRecordsWhoseGlobalsItHas() throws Exception {
        TestProject project = new TestProject(dir).record("demo/FlowStats.java", FLOW_V1).bpf("flow", FLOW_C)
                .record("demo/Limits.java", """
                        package demo;
                        import dev.bpfglobals.annotations.BpfGlobals;
                        @BpfGlobals public record Limits(int maxPackets) {}
                        """)
                .bpf("limits", """
                        #include "demo.Limits.h"
                        #include <linux/bpf.h>
                        SEC("xdp")
                        int limit(struct xdp_md *ctx) { return maxPackets ? XDP_DROP : XDP_PASS; }
                        char LICENSE[] SEC("license") = "GPL";
                        """);

        project.mojo("compat").execute();

        assertThat(project.object("limits.bpf.o")).exists();
    }

    @Test
    void anObjectBuiltFromAnOlderRecordFailsTheBuildNamingRecordObjectHeaderAndCommand() throws Exception {
        TestProject project = new TestProject(dir).record("demo/FlowStats.java", FLOW_V1).bpf("flow", FLOW_C);
        project.mojo("compat").execute();
        Path stale = Files.copy(project.object("flow.bpf.o"), dir.resolve("flow.bpf.o"));
        // The record changes; the object (built elsewhere, or checked in) does not.
        project.record("demo/FlowStats.java", FLOW_V2);
        CompileBpfMojo checkOnly = project.mojo("compat");
        checkOnly.sourceDirectory = dir.resolve("no-sources").toFile();
        Files.copy(stale, project.object("flow.bpf.o"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(checkOnly::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("BPF object " + project.object("flow.bpf.o") + " does not match the Java record demo.FlowStats")
                .hasMessageContaining("expected: the record")
                .hasMessageContaining("found: the object")
                .hasMessageContaining(".percpu: variable 'packets': offset expected 8, found 0")
                .hasMessageContaining("Rebuild it against the record's header "
                        + project.classes.resolve("META-INF/bpf-globals/demo.FlowStats.h"))
                .hasMessageContaining("-DBPF_GLOBALS_COMPAT] -c NAME.bpf.c -o " + project.object("flow.bpf.o"));
    }

    @Test
    void checkContractsFalseLetsADriftedObjectThrough() throws Exception {
        TestProject project = new TestProject(dir).record("demo/FlowStats.java", FLOW_V1).bpf("flow", FLOW_C);
        project.mojo("compat").execute();
        Path stale = Files.copy(project.object("flow.bpf.o"), dir.resolve("flow.bpf.o"));
        project.record("demo/FlowStats.java", FLOW_V2);
        CompileBpfMojo mojo = project.mojo("compat");
        mojo.sourceDirectory = dir.resolve("no-sources").toFile();
        mojo.checkContracts = false;
        Files.copy(stale, project.object("flow.bpf.o"), StandardCopyOption.REPLACE_EXISTING);

        assertThatCode(mojo::execute).as("the goal with checkContracts false, over a drifted object").doesNotThrowAnyException();

        assertThat(Files.mismatch(stale, project.object("flow.bpf.o"))).as("the drifted object, left in the output byte for byte")
                .isEqualTo(-1L);
        assertThat(percpuOffset(stale, "packets"))
                .as("packets in the drifted object's .percpu, per llvm-readelf, where the record's header now puts it at %d",
                        headerOffset(project, "packets"))
                .isNotEqualTo(headerOffset(project, "packets"));
    }

    /** The offset of {@code variable} in {@code object}'s {@code .percpu} section: its symbol's value, as llvm-readelf reads it. */
    private static long percpuOffset(Path object, String variable) throws Exception {
        String symbols = run("llvm-readelf", "--wide", "--sections", "--symbols", object.toString());
        Matcher section = Pattern.compile("(?m)^\\s*\\[\\s*(\\d+)] \\.percpu\\s").matcher(symbols);
        assertThat(section.find()).as("a .percpu section in %s", symbols).isTrue();
        Matcher symbol = Pattern.compile("(?m)^\\s*\\d+: ([0-9a-f]+)\\s+\\d+\\s+OBJECT\\s+\\w+\\s+\\w+\\s+" + section.group(1)
                + " " + variable + "$").matcher(symbols);
        assertThat(symbol.find()).as("a symbol %s in section %s in %s", variable, section.group(1), symbols).isTrue();
        return Long.parseLong(symbol.group(1), 16);
    }

    /** The offset in {@code .percpu} the record's generated header asserts for {@code variable}. */
    private static long headerOffset(TestProject project, String variable) throws Exception {
        String header = Files.readString(project.classes.resolve("META-INF/bpf-globals/demo.FlowStats.h"));
        Matcher offset = Pattern.compile(variable + " must be at offset (\\d+) of \\.percpu").matcher(header);
        assertThat(offset.find()).as("the offset of %s in %s", variable, header).isTrue();
        return Long.parseLong(offset.group(1));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }

    @Test
    void aSourceIncludingAHeaderThatWasNotGeneratedFailsSayingTheProcessorDidNotRun() throws Exception {
        TestProject project = new TestProject(dir).bpf("flow", FLOW_C);

        assertThatThrownBy(() -> project.mojo("compat").execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("clang failed on " + dir.resolve("src/main/bpf/flow.bpf.c") + " (compat build)")
                .hasMessageContaining("'demo.FlowStats.h' file not found")
                .hasMessageContaining("Command: clang -O2 -g -target bpf -Wall -DBPF_GLOBALS_COMPAT")
                .hasMessageContaining("the annotation processor did not run");
    }

    @Test
    void skipDoesNothing() throws Exception {
        TestProject project = new TestProject(dir).bpf("flow", FLOW_C);
        CompileBpfMojo mojo = project.mojo("compat");
        mojo.skip = true;

        mojo.execute();

        assertThat(project.object("flow.bpf.o")).doesNotExist();
    }
}

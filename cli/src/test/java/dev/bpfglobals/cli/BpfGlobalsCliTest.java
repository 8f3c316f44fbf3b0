package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.ChildJvms;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command's output and exit code, including bad input. */
class BpfGlobalsCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void inspectListsPercpuVariablesWithOffsetsAndInitialValues() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("counters").toString())).isZero();

        assertThat(out.toString()).contains("section .percpu (12 bytes, map PERCPU_ARRAY)")
                .containsPattern("packets +offset +0 +size +8 +initial 0000000000000000")
                .containsPattern("drops +offset +8 +size +4 +initial 05000000");
    }

    @Test
    void inspectNamesMapTypesAndGivesTheNumberOfTypesWithoutAName() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("map_types").toString())).isZero();

        assertThat(out.toString()).contains("map per_cpu_counts: PERCPU_ARRAY, key 4, value 8, max entries 4")
                .contains("map devices: type 14, key 4, value 4, max entries 16");
    }

    @Test
    void inspectShowsAMapOfMapsInnerDefinitionAndInitialSlots() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("map_of_maps").toString())).isZero();

        assertThat(out.toString()).contains("map outer: ARRAY_OF_MAPS, key 4, value 4, max entries 2; "
                + "inner ARRAY, key 4, value 8, max entries 1; slots {1=first}");
    }

    @Test
    void inspectGivesEachProgramTheAutoAttachKindOfItsSectionsRow() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("ticks").toString())).isZero();

        assertThat(out.toString()).containsPattern("program tick_raw_tp: section raw_tp/sys_enter, .*, auto-attach RAW_TRACEPOINT\n")
                .containsPattern("program tick_tracepoint: section tracepoint/syscalls/sys_enter_getpid, .*, auto-attach TRACEPOINT\n")
                .containsPattern("program tick_tc: section tc, .*, auto-attach MANUAL\n");
    }

    @Test
    void inspectJsonGivesEachProgramsAutoAttachKind() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("ticks").toString(), "--json")).isZero();

        assertThat(out.toString()).containsPattern("\"name\": \"tick_raw_tp\", [^}]*\"autoAttach\": \"RAW_TRACEPOINT\"}")
                .containsPattern("\"name\": \"tick_xdp\", [^}]*\"autoAttach\": \"MANUAL\"}");
    }

    @Test
    void inspectJsonGivesMapTypesByNumberAndName() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("map_types").toString(), "--json")).isZero();

        assertThat(out.toString())
                .contains("{\"name\": \"per_cpu_counts\", \"type\": 6, \"typeName\": \"PERCPU_ARRAY\", \"keySize\": 4")
                .contains("{\"name\": \"devices\", \"type\": 14, \"typeName\": \"type 14\", \"keySize\": 4");
    }

    @Test
    void inspectOfAFileThatIsNoObjectIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.o"), "not an object");

        assertThat(run("inspect", junk.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("bpf-globals: not a valid BPF object").doesNotContain("\n").doesNotContain("at dev.");
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.o"), "x");

        assertThat(run("inspect", junk.toString(), "--verbose")).isEqualTo(1);
        assertThat(err.toString()).contains("at dev.bpfglobals");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'frobnicate'");
    }

    @Test
    void checkExitsZeroForTheMatchingRecord() throws Exception {
        assertThat(run("check", BpfObjects.compile("counters").toString(), "--record", "dev.bpfglobals.cli.Counters",
                "--classpath", "target/test-classes")).isZero();
        assertThat(out.toString()).contains("matches dev.bpfglobals.cli.Counters");
    }

    @Test
    void checkExitsOneWithAPerVariableDiffForADriftedRecord() throws Exception {
        assertThat(run("check", BpfObjects.compile("counters").toString(), "--record", "dev.bpfglobals.cli.Drifted",
                "--classpath", "target/test-classes")).isEqualTo(1);
        assertThat(out.toString()).contains("variable 'drops': size expected 8 bytes, found 4 bytes")
                .contains("value size expected 16 bytes, found 12 bytes");
    }

    @Test
    void checkAgainstTheProcessorsContractFile() throws Exception {
        Path contract = Path.of("target/test-classes/META-INF/bpf-globals/dev.bpfglobals.cli.Counters.json");

        assertThat(run("check", BpfObjects.compile("counters").toString(), "--contract", contract.toString())).isZero();
        assertThat(out.toString()).contains("matches dev.bpfglobals.cli.Counters");
    }

    @Test
    void checkWithAMalformedContractFileIsOneLine(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"record\": ");

        assertThat(run("check", BpfObjects.compile("counters").toString(), "--contract", bad.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("bpf-globals: contract JSON:").doesNotContain("\n");
    }

    @Test
    void inspectJsonGivesVariablesWithInitialValues() throws Exception {
        assertThat(run("inspect", BpfObjects.compile("counters").toString(), "--json")).isZero();

        assertThat(out.toString()).contains("{\"name\": \".percpu\", \"size\": 12, \"mapType\": \"PERCPU_ARRAY\"")
                .contains("{\"name\": \"drops\", \"cType\": \"__u32\", \"offset\": 8, \"size\": 4, \"initialValue\": \"05000000\"}");
    }

    @Test
    void featuresWithoutCapBpfIsOneLineNamingThePermission() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv missing");
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all"));
        command.addAll(ChildJvms.java());
        command.addAll(List.of("dev.bpfglobals.cli.BpfGlobalsCli", "features"));
        Process child = new ProcessBuilder(command).redirectErrorStream(false).start();
        String stderr = new String(child.getErrorStream().readAllBytes());
        child.getInputStream().readAllBytes();

        assertThat(child.waitFor()).isEqualTo(1);
        assertThat(stderr.strip()).contains("EPERM").contains("CAP_BPF").doesNotContain("\tat ");
    }

    @Test
    void checkOfAnUnknownRecordSaysWhy() throws Exception {
        assertThat(run("check", BpfObjects.compile("counters").toString(), "--record", "no.Such",
                "--classpath", "target/test-classes")).isEqualTo(1);
        assertThat(err.toString()).contains("no record no.Such and no generated accessor no.SuchGlobals");
    }

    @Test
    void checkOfARecordCompiledWithoutTheProcessorSaysHowToEnableIt(@TempDir Path classes) throws Exception {
        Path source = Files.createDirectories(classes.resolve("src/demo")).resolve("Flow.java");
        Files.writeString(source, """
                package demo;
                public record Flow(@dev.bpfglobals.annotations.PerCpu long packets) {}
                """);
        int javac = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none",
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(javac).isZero();

        assertThat(run("check", BpfObjects.compile("counters").toString(), "--record", "demo.Flow",
                "--classpath", classes.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("demo.Flow is annotated for bpf-globals (@PerCpu on component 'packets'),"
                + " but its accessor demo.FlowGlobals was not generated: the bpf-globals processor did not run")
                .contains("-proc:full");
    }

    @Test
    @RequiresBpf
    void featuresPrintsOneLinePerProbe() {
        assertThat(run("features")).isZero();
        assertThat(out.toString().lines()).hasSize(4).anyMatch(l -> l.startsWith("BPF_F_ALL_CPUS:"));
    }

    @Test
    @RequiresBpf
    void dumpPrintsEachVariablePerCpuWithTotals() throws Exception {
        Path pin = BpfPins.path("cli-test");
        MemorySegment image = MemorySegment.ofArray(new byte[12]);
        CountersGlobals.encodePerCpu(new CountersGlobals.PerCpuPart(3, 7), image);
        try (PerCpuArrayMap map = PerCpuArrayMap.create(CountersGlobals.PERCPU.section(), image, BpfFeatures.probe())) {
            map.pin(pin);
            int cpus = dev.bpfglobals.runtime.PossibleCpus.system().count();

            assertThat(run("dump", "--pinned", pin.toString())).isZero();
            assertThat(out.toString()).contains("packets").contains("cpu0=3").contains("total=" + 3 * cpus)
                    .contains("drops").contains("total=" + 7 * cpus);
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    @RequiresBpf
    void dumpOfAMissingPinIsOneLineAndExitOne() {
        assertThat(run("dump", "--pinned", "/sys/fs/bpf/bpfglobals-no-such-pin")).isEqualTo(1);
        assertThat(err.toString()).contains("ENOENT").contains("nothing is pinned at that path");
    }
}

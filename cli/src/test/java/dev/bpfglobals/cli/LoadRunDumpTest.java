package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load --pin}, {@code run} and {@code dump --json} together, on ticks.bpf.c (compat mode,
 * built against the header the processor generated from {@link Ticks}), as bpftool would be used
 * for an object it cannot load: set globals before load, run on chosen CPUs, read each CPU back.
 */
@RequiresBpf
class LoadRunDumpTest extends PinningCliTest {

    @Override
    protected String pinName() {
        return "cli-load";
    }

    private int load(String... sets) throws Exception {
        List<String> args = new ArrayList<>(List.of("load", ticks().toString(), "--pin", pins.toString()));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return run(args.toArray(String[]::new));
    }

    /** One line on stderr, naming the problem, and no stack trace. */
    private String oneLineError() {
        String text = err.toString().strip();
        assertThat(text).doesNotContain("\n").doesNotContain("\tat ");
        return text;
    }

    @Test
    void loadPinsEveryMapAndProgramUnderMapsAndProgs() throws Exception {
        assertThat(load()).isZero();

        assertThat(out.toString()).contains("pinned map .percpu at " + pins.resolve("maps/_percpu")
                        + " (the programs reach it as __percpu_compat)")
                .contains("pinned map .data at " + pins.resolve("maps/_data"))
                .contains("pinned program tick_raw_tp at " + pins.resolve("progs/tick_raw_tp"))
                .contains("pinned program tick_xdp at " + pins.resolve("progs/tick_xdp"));
        try (Stream<Path> pinned = Files.list(pins.resolve("progs"))) {
            assertThat(pinned.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tick_raw_tp", "tick_xdp",
                    "tick_tc", "tick_socket", "tick_tracepoint");
        }
        try (Stream<Path> pinned = Files.list(pins.resolve("maps"))) {
            assertThat(pinned.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("_percpu", "_data",
                    "_bss_bpf_globals"); // the compat header's scratch copy of .percpu, which BPF_PERCPU falls back to
        }
    }

    @Test
    void setValuesRunOnTwoCpusAndDumpEachCpuExactly() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        Assumptions.assumeTrue(cpus.contains(0) && cpus.contains(1), "needs CPUs 0 and 1, have " + cpus);
        assertThat(load(".percpu.runs=100", ".data.step=-5", ".data.big=18446744073709551615", ".percpu.seen=false"))
                .isZero();
        assertThat(out.toString()).contains("set .percpu.runs = 100 (__u64, was 0)")
                .contains("set .data.step = -5 (__s32, was 0)");

        assertThat(run("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "0", "--repeat", "3")).isZero();
        assertThat(out.toString()).startsWith("tick_xdp (XDP, id ").contains("on CPU 0: 3 runs, return value 2 (XDP_PASS), ")
                .contains(" ns per run");
        assertThat(run("run", pins.resolve("progs/tick_raw_tp").toString(), "--cpu", "1", "--repeat", "2")).isZero();
        assertThat(out.toString()).contains("on CPU 1: 2 runs, return value 0");

        assertThat(run("dump", "--pinned", pins.resolve("maps/_percpu").toString(), "--json")).isZero();
        StringBuilder expected = new StringBuilder("{\"map\": \".percpu\", \"cpus\": [")
                .append("{\"cpu\": 0, \"variables\": {\"runs\": 103, \"sum\": -15, \"seen\": true, \"marks\": [251, 251, 251]}}, ")
                .append("{\"cpu\": 1, \"variables\": {\"runs\": 102, \"sum\": -10, \"seen\": true, \"marks\": [251, 251, 0]}}");
        for (int cpu : cpus.ids().subList(2, cpus.count())) {
            expected.append(", {\"cpu\": ").append(cpu)
                    .append(", \"variables\": {\"runs\": 100, \"sum\": 0, \"seen\": false, \"marks\": [0, 0, 0]}}");
        }
        assertThat(out.toString().strip()).isEqualTo(expected.append("]}").toString());

        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString(), "--json")).isZero();
        assertThat(out.toString().strip()).isEqualTo("{\"map\": \".data\", \"variables\": {\"step\": -5, "
                + "\"big\": 18446744073709551615, \"pair\": {\"low\": 0, \"high\": 0}, \"mode\": 0}}");
    }

    @Test
    void textDumpOfDataDecodesEachVariableByBtfAsJsonDoes() throws Exception {
        assertThat(load(".data.step=-5", ".data.big=18446744073709551615", ".data.mode=TICKS_MODE_ON")).isZero();

        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString())).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).matches("map \\.data \\(id \\d+\\)");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "  step                      -5",
                "  big                       18446744073709551615",
                "  pair                      {low: 0, high: 0}",
                "  mode                      1");
    }

    @Test
    void textDumpOfPercpuGivesEachCpusDecodedValueAndTotalsIntegers() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        Assumptions.assumeTrue(cpus.contains(0) && cpus.contains(1), "needs CPUs 0 and 1, have " + cpus);
        assertThat(load(".data.step=-5")).isZero();
        assertThat(run("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "0", "--repeat", "3")).isZero();
        assertThat(run("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "1", "--repeat", "2")).isZero();

        assertThat(run("dump", "--pinned", pins.resolve("maps/_percpu").toString())).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).matches("map \\.percpu \\(id \\d+\\), " + cpus.count() + " possible CPUs");
        String others = cpus.count() == 2 ? "" : "  .*";
        assertThat(lines.subList(1, lines.size())).hasSize(4);
        assertThat(lines.get(1)).matches("  runs {20}  cpu0=3  cpu1=2" + others + "  total=5");
        assertThat(lines.get(2)).matches("  sum {21}  cpu0=-15  cpu1=-10" + others + "  total=-25");
        assertThat(lines.get(3)).matches("  seen {20}  cpu0=true  cpu1=true" + others).doesNotContain("total");
        assertThat(lines.get(4)).matches("  marks {19}  cpu0=\\[251, 251, 251\\]  cpu1=\\[251, 251, 0\\]" + others)
                .doesNotContain("total");
    }

    @Test
    void tcAndSocketProgramsRunOnAZeroedPacket() throws Exception {
        assertThat(load(".data.step=1")).isZero();

        assertThat(run("run", pins.resolve("progs/tick_tc").toString(), "--cpu", "0", "--repeat", "4")).isZero();
        assertThat(out.toString()).contains("tick_tc (SCHED_CLS, id ").contains("on CPU 0: 4 runs, return value 0, ");
        // A socket filter returns how much of the packet to keep: the 64 bytes less the Ethernet header.
        assertThat(run("run", pins.resolve("progs/tick_socket").toString(), "--cpu", "0")).isZero();
        assertThat(out.toString()).contains("on CPU 0: 1 run, return value 50, ");

        assertThat(run("dump", "--json", "--pinned", pins.resolve("maps/_percpu").toString())).isZero();
        assertThat(out.toString()).contains("{\"cpu\": 0, \"variables\": {\"runs\": 5, \"sum\": 5, \"seen\": true, \"marks\": [1, 1, 1]}}");
    }

    @Test
    void anUnknownVariableIsOneLineNamingTheVariablesThereAre() throws Exception {
        assertThat(load(".data.nope=1")).isEqualTo(1);
        assertThat(oneLineError()).isEqualTo("bpf-globals: --set .data.nope: section .data has no variable 'nope'; it has [step, big, pair, mode]");
        assertThat(pins).doesNotExist();
    }

    @Test
    void anUnknownSectionIsOneLineNamingTheSectionsThereAre() throws Exception {
        assertThat(load(".bss.x=1")).isEqualTo(1);
        assertThat(oneLineError()).contains("--set .bss.x: no global section of the object starts it; the object has [.percpu, .data, .bss.bpf_globals]");
    }

    @Test
    void aValueOutOfRangeIsOneLineGivingTheRange() throws Exception {
        assertThat(load(".data.step=2147483648")).isEqualTo(1);
        assertThat(oneLineError()).isEqualTo("bpf-globals: --set .data.step=2147483648: out of range for __s32 (-2147483648 to 2147483647)");
        assertThat(load(".percpu.runs=-1")).isEqualTo(1);
        assertThat(oneLineError()).contains("out of range for __u64 (0 to 18446744073709551615)");
    }

    @Test
    void nonScalarsAndNonNumbersAreRefusedNamingTheType() throws Exception {
        assertThat(load(".data.pair=1")).isEqualTo(1);
        assertThat(oneLineError()).contains(".data.pair is a struct (struct ticks_pair), not a scalar");
        assertThat(load(".percpu.marks=1")).isEqualTo(1);
        assertThat(oneLineError()).contains(".percpu.marks is an array (__u8[3]), not a scalar");
        assertThat(load(".percpu.seen=yes")).isEqualTo(1);
        assertThat(oneLineError()).contains(".percpu.seen is a _Bool; give true or false");
        assertThat(load(".data.step=12a")).isEqualTo(1);
        assertThat(oneLineError()).contains("'12a' is not an integer");
    }

    @Test
    void hexAndNegativeHexValuesAreTakenAtTheirValue() throws Exception {
        assertThat(load(".data.step=-0x10", ".data.big=0x7fffffffffffffff")).isZero();
        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString(), "--json")).isZero();
        assertThat(out.toString()).contains("\"step\": -16, \"big\": 9223372036854775807");
    }

    @Test
    void enumsAreSetByConstantNameOrNumber() throws Exception {
        assertThat(load(".data.mode=TICKS_MODE_ON")).isZero();
        assertThat(out.toString()).contains("set .data.mode = TICKS_MODE_ON (enum ticks_mode, was 0)");
        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString(), "--json")).isZero();
        assertThat(out.toString()).contains("\"mode\": 1}}");

        assertThat(load(".data.mode=TICKS_MODE_MAYBE")).isEqualTo(1);
        assertThat(oneLineError()).contains("'TICKS_MODE_MAYBE' is not an integer (decimal, 0x hex, optionally negative) or a constant of enum ticks_mode");
    }

    @Test
    void usageErrorsExitTwoNamingWhatIsMissing() throws Exception {
        assertThat(run("load", ticks().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bpf-globals load: no --pin DIR; usage: bpf-globals load OBJ.o --pin DIR");
        assertThat(run("run", pins.resolve("progs/tick_xdp").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bpf-globals run: no --cpu N; usage: bpf-globals run DIR/progs/NAME --cpu N [--repeat R]");
        assertThat(run("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "one")).isEqualTo(1);
        assertThat(oneLineError()).isEqualTo("bpf-globals: --cpu one: not a number");
    }

    @Test
    void aDirectoryOffBpffsIsRefusedBeforeAnythingIsLoaded(@TempDir Path dir) throws Exception {
        assertThat(run("load", ticks().toString(), "--pin", dir.resolve("pins").toString())).isEqualTo(1);
        assertThat(oneLineError()).contains(dir + " is on a ").contains("not a BPF file system");
        assertThat(dir.resolve("pins")).doesNotExist();
    }

    @Test
    void loadingTwiceIntoOneDirectoryIsRefusedNamingThePin() throws Exception {
        assertThat(load()).isZero();
        assertThat(load()).isEqualTo(1);
        assertThat(oneLineError()).contains(pins.resolve("maps/_percpu") + " is already pinned");
    }

    @Test
    void twoNamesThatWouldShareAPinAreRefusedBeforeAnythingIsLoaded() throws Exception {
        assertThat(run("load", BpfObjects.compile("pin_clash").toString(), "--pin", pins.toString())).isEqualTo(1);
        assertThat(oneLineError()).contains("'.data' and '_data' would both be pinned as " + pins.resolve("maps/_data"));
        assertThat(pins).doesNotExist();
    }

    @Test
    void runOfAMissingPinIsOneLine() {
        assertThat(run("run", pins.resolve("progs/none").toString(), "--cpu", "0")).isEqualTo(1);
        assertThat(oneLineError()).contains("ENOENT").contains("nothing is pinned at that path");
    }

    @Test
    void runOnACpuThatIsNotPossibleIsOneLine() throws Exception {
        assertThat(load()).isZero();
        int beyond = PossibleCpus.system().ids().getLast() + 1;

        assertThat(run("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", String.valueOf(beyond))).isEqualTo(1);
        assertThat(oneLineError()).isEqualTo("bpf-globals: --cpu " + beyond + ": not a possible CPU of this machine (possible: "
                + PossibleCpus.system() + ")");
    }

    @Test
    void runOfAMapOrATracepointProgramSaysWhyNot() throws Exception {
        assertThat(load()).isZero();

        assertThat(run("run", pins.resolve("maps/_data").toString(), "--cpu", "0")).isEqualTo(1);
        assertThat(oneLineError()).endsWith("maps/_data is a pinned map, not a program");
        assertThat(run("run", pins.resolve("progs/tick_tracepoint").toString(), "--cpu", "0")).isEqualTo(1);
        assertThat(oneLineError()).contains("tick_tracepoint (TRACEPOINT, id ").contains("cannot be test-run");
    }

    @Test
    void dumpJsonOfAProgramPinIsOneLine() throws Exception {
        assertThat(load()).isZero();

        assertThat(run("dump", "--pinned", pins.resolve("progs/tick_xdp").toString(), "--json")).isEqualTo(1);
        assertThat(oneLineError()).endsWith("progs/tick_xdp is a pinned program, not a map");
    }

    /** ticks.bpf.c compiled against the header the processor wrote for {@link Ticks}, in compat mode. */
    static synchronized Path ticks() throws IOException, InterruptedException {
        Path source = Path.of("src/test/bpf/ticks.bpf.c");
        Path headers = Path.of("target/test-classes/META-INF/bpf-globals");
        Path object = Files.createDirectories(Path.of("target/test-bpf")).resolve("ticks.bpf.o");
        if (Files.exists(object) && Files.getLastModifiedTime(object).compareTo(Files.getLastModifiedTime(source)) > 0
                && Files.getLastModifiedTime(object).compareTo(Files.getLastModifiedTime(headers.resolve("dev.bpfglobals.cli.Ticks.h"))) > 0) {
            return object;
        }
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Process clang = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-Wall", "-Werror", "-I" + headers,
                "-I/usr/include/" + arch + "-linux-gnu", "-c", source.toString(), "-o", object.toString())
                .redirectErrorStream(true).start();
        String output;
        try (var stdout = clang.getInputStream(); var stdin = clang.getOutputStream(); var stderr = clang.getErrorStream()) {
            output = new String(stdout.readAllBytes());
        }
        if (!clang.waitFor(60, TimeUnit.SECONDS) || clang.exitValue() != 0) {
            throw new AssertionError("clang failed on " + source + ":\n" + output);
        }
        return object;
    }
}

package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PossibleCpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What compat mode costs inside the BPF program, timed by the kernel: {@code BPF_PROG_TEST_RUN}
 * reports the average time of one run over {@code repeat} runs, with no syscall or JVM in it.
 * Programs from {@code bench/bpf/compat_cost.bpf.c}; prints a Markdown table.
 *
 * <p>Usage: {@code CompatCostBenchmark path/to/compat_cost.bpf.o}.
 */
public final class CompatCostBenchmark {

    private static final int REPEAT = 2_000_000;
    private static final int ROUNDS = 7;

    private static final Map<String, String> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("empty", "returns XDP_PASS: the test-run loop alone");
        PROGRAMS.put("lookup_per_use", "compat mode, `BPF_PERCPU(var)` on each of 5 uses (5 map lookups)");
        PROGRAMS.put("lookup_once", "compat mode, the section pointer taken once (`xdp_stats_percpu()`, 1 lookup)");
        PROGRAMS.put("plain_globals", "the same updates on `.data` globals (direct access, not per CPU)");
    }

    private CompatCostBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompatCostBenchmark path/to/compat_cost.bpf.o");
            System.exit(2);
        }
        int cpu = PossibleCpus.system().cpuAt(0);
        byte[] packet = new byte[64];
        Map<String, Double> median = new LinkedHashMap<>();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(Path.of(args[0])))) {
            for (String name : PROGRAMS.keySet()) {
                try (BpfProgram program = loaded.program(name)) {
                    program.testRun(packet, REPEAT / 10, cpu); // warm caches and branch predictors
                    double[] rounds = new double[ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        rounds[round] = program.testRun(packet, REPEAT, cpu).averageNanos();
                    }
                    Arrays.sort(rounds);
                    median.put(name, rounds[ROUNDS / 2]);
                }
            }
        }
        double loop = median.get("empty");
        System.out.println("| program | what it does | ns per run (median of " + ROUNDS + " x " + REPEAT
                + ") | minus the empty run |");
        System.out.println("| --- | --- | --- | --- |");
        median.forEach((name, ns) -> System.out.printf("| `%s` | %s | %.0f | %s |%n", name, PROGRAMS.get(name), ns,
                name.equals("empty") ? "-" : String.format("%.0f", ns - loop)));
    }
}

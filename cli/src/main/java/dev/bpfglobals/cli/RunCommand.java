package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import dev.bpfglobals.runtime.object.ProgramType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code run PIN --cpu N [--repeat R]}: one {@code BPF_PROG_TEST_RUN} of a pinned program on CPU
 * {@code N}, with a zeroed context of the kind its type takes, as {@code bpftool prog run} does, so
 * that per-CPU globals change on the CPU chosen. Packet programs (xdp, tc, socket filters) get a
 * zeroed 64-byte packet and run {@code R} times in one call on the calling thread pinned to the CPU;
 * raw tracepoint programs get zeroed arguments and are run {@code R} times by the kernel on that CPU
 * ({@code BPF_F_TEST_RUN_ON_CPU}), which takes no repeat count and does not time them.
 */
final class RunCommand {

    /** A minimum Ethernet frame without its checksum: enough for every packet program type's checks. */
    static final int PACKET_SIZE = 64;
    /** A raw tracepoint's context: MAX_BPF_FUNC_ARGS (12) u64 arguments, which the kernel accepts for any tracepoint. */
    static final int RAW_TRACEPOINT_ARGUMENTS = 12;

    private static final List<ProgramType> PACKET_TYPES = List.of(ProgramType.XDP, ProgramType.SCHED_CLS,
            ProgramType.SCHED_ACT, ProgramType.SOCKET_FILTER, ProgramType.CGROUP_SKB);
    private static final List<String> XDP_ACTIONS = List.of("XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT");

    private RunCommand() {
    }

    static int run(List<String> words, PrintStream out, PrintStream err) {
        String pin = null;
        Integer cpu = null;
        int repeat = 1;
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if ((word.equals("--cpu") || word.equals("--repeat")) && i + 1 < words.size()) {
                int number = number(word, words.get(++i));
                if (word.equals("--cpu")) {
                    cpu = number;
                } else {
                    repeat = number;
                }
            } else if (pin == null && !word.startsWith("--")) {
                pin = word;
            } else {
                return usage(err, "unexpected '" + word + "'");
            }
        }
        if (pin == null || cpu == null) {
            return usage(err, pin == null ? "no pinned program" : "no --cpu N");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat " + repeat + ": give 1 or more runs");
        }
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("--cpu " + cpu + ": not a possible CPU of this machine (possible: "
                    + PossibleCpus.system() + ")");
        }
        try (BpfProgram program = BpfProgram.openPinned(Path.of(pin))) {
            ProgramInfo info = program.info();
            ProgramType type = Arrays.stream(ProgramType.values()).filter(t -> t.kernelValue() == info.kernelType())
                    .findFirst().orElse(ProgramType.UNSPEC);
            String name = info.name() + " (" + (type == ProgramType.UNSPEC ? "program type " + info.kernelType() : type)
                    + ", id " + info.id() + ")";
            String what = name + " on CPU " + cpu + ": " + repeat + (repeat == 1 ? " run" : " runs");
            if (PACKET_TYPES.contains(type)) {
                BpfProgram.RunResult result = program.testRun(new byte[PACKET_SIZE], repeat, cpu);
                out.println(what + ", return value " + result.returnValue() + verdict(type, result.returnValue())
                        + ", " + result.averageNanos() + " ns per run");
            } else if (type == ProgramType.RAW_TRACEPOINT) {
                BpfProgram.RunResult result = null;
                for (int run = 0; run < repeat; run++) {
                    result = program.testRunOnCpu(new long[RAW_TRACEPOINT_ARGUMENTS], cpu);
                }
                out.println(what + ", return value " + result.returnValue()
                        + " (the kernel does not time raw tracepoint test runs)");
            } else {
                throw new IllegalArgumentException(pin + ": " + name
                        + " cannot be test-run: BPF_PROG_TEST_RUN runs xdp, tc, socket filter, cgroup_skb and raw_tracepoint programs");
            }
        }
        return 0;
    }

    private static String verdict(ProgramType type, int value) {
        return type == ProgramType.XDP && value >= 0 && value < XDP_ACTIONS.size() ? " (" + XDP_ACTIONS.get(value) + ")" : "";
    }

    private static int number(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": not a number");
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("bpf-globals run: " + problem + "; usage: bpf-globals run DIR/progs/NAME --cpu N [--repeat R]");
        return 2;
    }
}

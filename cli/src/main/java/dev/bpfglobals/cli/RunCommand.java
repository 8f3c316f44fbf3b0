package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run PIN --cpu N [--repeat R]}: one {@code BPF_PROG_TEST_RUN} of a pinned program on CPU
 * {@code N}, with a zeroed context of the kind its type takes, as {@code bpftool prog run} does, so
 * that per-CPU globals change on the CPU chosen. Packet programs (xdp, tc, socket filters) get a
 * zeroed 64-byte packet and run {@code R} times in one call on the calling thread pinned to the CPU;
 * raw tracepoint programs get zeroed arguments and are run {@code R} times by the kernel on that CPU
 * ({@code BPF_F_TEST_RUN_ON_CPU}), which takes no repeat count and does not time them.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals run DIR/progs/NAME --cpu N [--repeat R]",
        description = {"Test-runs a pinned program on one CPU.",
                "",
                "One BPF_PROG_TEST_RUN with a zeroed context of the kind the program's type takes, so that"
                + " per-CPU globals change on that CPU only: xdp, tc, socket filter and cgroup_skb programs"
                + " get a zeroed 64-byte packet, raw_tracepoint programs zeroed arguments. Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals run /sys/fs/bpf/ticks/progs/tick_xdp --cpu 0 --repeat 3"})
final class RunCommand extends CliCommand {

    /** A minimum Ethernet frame without its checksum: enough for every packet program type's checks. */
    static final int PACKET_SIZE = 64;
    /** A raw tracepoint's context: MAX_BPF_FUNC_ARGS (12) u64 arguments, which the kernel accepts for any tracepoint. */
    static final int RAW_TRACEPOINT_ARGUMENTS = 12;

    private static final List<ProgramType> PACKET_TYPES = List.of(ProgramType.XDP, ProgramType.SCHED_CLS,
            ProgramType.SCHED_ACT, ProgramType.SOCKET_FILTER, ProgramType.CGROUP_SKB);
    private static final List<String> XDP_ACTIONS = List.of("XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT");

    @Parameters(paramLabel = "DIR/progs/NAME", description = "The pinned program.")
    private Path pin;

    // Numbers are read by the command, not picocli, so that "--cpu one" fails as any bad value does (exit 1).
    @Option(names = "--cpu", paramLabel = "N", description = "The CPU to run on.")
    private String cpuText;

    @Option(names = "--repeat", paramLabel = "R", description = "How many runs (default 1).")
    private String repeatText;

    @Override
    public Integer call() {
        if (cpuText == null) {
            throw usage("no --cpu N");
        }
        int cpu = number("--cpu", cpuText);
        int repeat = repeatText == null ? 1 : number("--repeat", repeatText);
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat " + repeat + ": give 1 or more runs");
        }
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("--cpu " + cpu + ": not a possible CPU of this machine (possible: "
                    + PossibleCpus.system() + ")");
        }
        try (BpfProgram program = BpfProgram.openPinned(pin)) {
            ProgramInfo info = program.info();
            ProgramType type = Arrays.stream(ProgramType.values()).filter(t -> t.kernelValue() == info.kernelType())
                    .findFirst().orElse(ProgramType.UNSPEC);
            String name = Printable.name(info.name()) + " (" + (type == ProgramType.UNSPEC ? "program type " + info.kernelType() : type)
                    + ", id " + info.id() + ")";
            String what = name + " on CPU " + cpu + ": " + repeat + (repeat == 1 ? " run" : " runs");
            if (PACKET_TYPES.contains(type)) {
                BpfProgram.RunResult result = program.testRun(new byte[PACKET_SIZE], repeat, cpu);
                out().println(what + ", return value " + result.returnValue() + verdict(type, result.returnValue())
                        + ", " + result.averageNanos() + " ns per run");
            } else if (type == ProgramType.RAW_TRACEPOINT) {
                BpfProgram.RunResult result = null;
                for (int run = 0; run < repeat; run++) {
                    result = program.testRunOnCpu(new long[RAW_TRACEPOINT_ARGUMENTS], cpu);
                }
                out().println(what + ", return value " + result.returnValue()
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
}

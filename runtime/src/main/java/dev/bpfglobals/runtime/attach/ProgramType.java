package dev.bpfglobals.runtime.attach;

/**
 * The kernel program type ({@code enum bpf_prog_type}) of a program, as the section table
 * ({@link SectionDefinitions}) gives it for each libbpf {@code SEC()} name. Sections the table does
 * not know are {@link #UNSPEC}; the section name stays on the program's spec.
 */
public enum ProgramType {
    /** Not a known program section (or a subprogram, which has no type of its own). */
    UNSPEC(0),
    SOCKET_FILTER(1),
    KPROBE(2),
    SCHED_CLS(3),
    SCHED_ACT(4),
    TRACEPOINT(5),
    XDP(6),
    PERF_EVENT(7),
    CGROUP_SKB(8),
    CGROUP_SOCK(9),
    RAW_TRACEPOINT(17),
    TRACING(26),
    LSM(29),
    SYSCALL(31);

    private final int kernelValue;

    ProgramType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** The value of {@code enum bpf_prog_type}. */
    public int kernelValue() {
        return kernelValue;
    }

    /**
     * The type of programs in section {@code section}, as its row in {@link SectionDefinitions}
     * says (a leading {@code ?}, "do not load automatically", aside: {@code ?tc} is {@link #SCHED_CLS});
     * {@link #UNSPEC} for a section no row matches.
     */
    public static ProgramType ofSection(String section) {
        return SectionDefinitions.find(section).map(SectionDefinition::type).orElse(UNSPEC);
    }
}

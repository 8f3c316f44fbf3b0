package dev.bpfglobals.runtime.object;

import java.util.List;

/**
 * The kernel program type ({@code enum bpf_prog_type}) an ELF section name stands for, following
 * libbpf's {@code SEC()} names: {@code xdp}, {@code socket}, {@code tc}/{@code classifier},
 * {@code tracepoint/...}/{@code tp/...}, {@code raw_tracepoint/...}/{@code raw_tp/...}, and more
 * that a loader may not support yet. Sections this table does not know are {@link #UNSPEC}; the
 * section name stays on the {@link ProgramSpec}.
 */
public enum ProgramType {
    /** Not a known program section (or a subprogram, which has no type of its own). */
    UNSPEC(0),
    SOCKET_FILTER(1, "socket"),
    KPROBE(2, "kprobe", "kretprobe", "kprobe.multi", "kretprobe.multi", "uprobe", "uretprobe", "ksyscall", "kretsyscall", "usdt"),
    SCHED_CLS(3, "tc", "classifier", "tcx"),
    SCHED_ACT(4, "action"),
    TRACEPOINT(5, "tracepoint", "tp"),
    XDP(6, "xdp", "xdp.frags"),
    PERF_EVENT(7, "perf_event"),
    CGROUP_SKB(8, "cgroup_skb"),
    /** {@code cgroup/sock_create}, {@code cgroup/sock_release}, {@code cgroup/sock} (libbpf's names; see {@link #ofSection}). */
    CGROUP_SOCK(9),
    RAW_TRACEPOINT(17, "raw_tracepoint", "raw_tp"),
    TRACING(26, "fentry", "fexit", "fmod_ret", "tp_btf", "iter"),
    LSM(29, "lsm"),
    SYSCALL(31, "syscall");

    private final int kernelValue;
    private final List<String> prefixes;

    ProgramType(int kernelValue, String... prefixes) {
        this.kernelValue = kernelValue;
        this.prefixes = List.of(prefixes);
    }

    /** The value of {@code enum bpf_prog_type}. */
    public int kernelValue() {
        return kernelValue;
    }

    /**
     * The type of programs in section {@code section}: its part before the first {@code /} names it,
     * after libbpf's leading {@code ?} ("do not load automatically", {@link ProgramSpec#autoload()}),
     * so {@code ?tc} is {@link #SCHED_CLS}.
     */
    public static ProgramType ofSection(String section) {
        section = ProgramSpec.withoutAutoloadMark(section);
        int slash = section.indexOf('/');
        String prefix = slash < 0 ? section : section.substring(0, slash);
        if (prefix.equals("cgroup")) {
            // libbpf names many cgroup types cgroup/<hook>; these are the ones this table knows.
            return switch (section.substring(slash + 1)) {
                case "sock", "sock_create", "sock_release" -> CGROUP_SOCK;
                case "skb" -> CGROUP_SKB;
                default -> UNSPEC;
            };
        }
        for (ProgramType type : values()) {
            if (type.prefixes.contains(prefix)) {
                return type;
            }
        }
        return UNSPEC;
    }
}

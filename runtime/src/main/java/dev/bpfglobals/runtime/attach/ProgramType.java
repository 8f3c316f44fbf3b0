package dev.bpfglobals.runtime.attach;

/**
 * The kernel program type ({@code enum bpf_prog_type}) of a program, as the section table
 * ({@link SectionDefinitions}) gives it for each libbpf {@code SEC()} name. Sections the table does
 * not know are {@link #UNSPEC}; the section name stays on the program's spec.
 */
public enum ProgramType {
    /** Not a known program section (or a subprogram, which has no type of its own). */
    UNSPEC(0),
    /** A socket filter ({@code socket}): sees a socket's packets and says how much of each to keep. */
    SOCKET_FILTER(1),
    /** A kprobe or uprobe ({@code kprobe/}, {@code uprobe/}, {@code kprobe.multi/} and their return forms). */
    KPROBE(2),
    /**
     * A tc classifier ({@code tc}, {@code tcx/ingress}, {@code tcx/egress}): a verdict on each packet of an interface.
     */
    SCHED_CLS(3),
    /** A tc action ({@code action}). */
    SCHED_ACT(4),
    /** A tracepoint program ({@code tracepoint/}, {@code tp/}), attached through a perf event. */
    TRACEPOINT(5),
    /** An XDP program ({@code xdp}): a verdict on each received packet, before the kernel's network stack. */
    XDP(6),
    /** A perf event program ({@code perf_event}), e.g. run on every CPU-clock sample. */
    PERF_EVENT(7),
    /** A cgroup packet filter ({@code cgroup_skb/ingress}, {@code cgroup_skb/egress}). */
    CGROUP_SKB(8),
    /** A cgroup socket hook ({@code cgroup/sock_create} and the like): may refuse a socket. */
    CGROUP_SOCK(9),
    /** A raw tracepoint program ({@code raw_tp/}, {@code raw_tracepoint/}), given the tracepoint's raw arguments. */
    RAW_TRACEPOINT(17),
    /** A BTF-typed tracing program ({@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/}). */
    TRACING(26),
    /**
     * A member function of a kernel struct of operations ({@code struct_ops/}), e.g. a TCP
     * congestion-control callback; the struct_ops map that names it registers it, not an attach of its own.
     */
    STRUCT_OPS(27),
    /** A Linux security module hook ({@code lsm/}). */
    LSM(29),
    /** A socket lookup program ({@code sk_lookup}): picks the socket a new connection or datagram goes to, in a network namespace. */
    SK_LOOKUP(30),
    /** A program run from user space that may itself call bpf(2) ({@code syscall}), as light skeletons' loaders do. */
    SYSCALL(31),
    /** A netfilter hook program ({@code netfilter}): a verdict (accept or drop) on each packet at one netfilter hook. */
    NETFILTER(32);

    private final int kernelValue;

    ProgramType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** {@return the value of {@code enum bpf_prog_type}} */
    public int kernelValue() {
        return kernelValue;
    }

    /**
     * The type of programs in section {@code section}, as its row in {@link SectionDefinitions}
     * says (a leading {@code ?}, "do not load automatically", aside: {@code ?tc} is {@link #SCHED_CLS});
     * {@link #UNSPEC} for a section no row matches.
     *
     * @param section a libbpf {@code SEC()} name, e.g. {@code kprobe/do_sys_open}
     * @return the section's program type
     */
    public static ProgramType ofSection(String section) {
        return SectionDefinitions.find(section).map(SectionDefinition::type).orElse(UNSPEC);
    }
}

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
    /** A lightweight-tunnel input program ({@code lwt_in}); read, not loaded by this library. */
    LWT_IN(10),
    /** A lightweight-tunnel output program ({@code lwt_out}); read, not loaded by this library. */
    LWT_OUT(11),
    /** A lightweight-tunnel transmit program ({@code lwt_xmit}); read, not loaded by this library. */
    LWT_XMIT(12),
    /** A TCP socket operations program ({@code sockops}), run on a cgroup's TCP events (connect, established, RTO ...). */
    SOCK_OPS(13),
    /** A sockmap stream parser or verdict program ({@code sk_skb/stream_parser}, {@code sk_skb/stream_verdict}, {@code sk_skb/verdict}). */
    SK_SKB(14),
    /** A cgroup device controller ({@code cgroup/dev}): allows or refuses a cgroup's device opens and mknods. */
    CGROUP_DEVICE(15),
    /** A sockmap message verdict program ({@code sk_msg}): sees each sendmsg on a socket of a sockmap. */
    SK_MSG(16),
    /** A raw tracepoint program ({@code raw_tp/}, {@code raw_tracepoint/}), given the tracepoint's raw arguments. */
    RAW_TRACEPOINT(17),
    /**
     * A cgroup socket address hook ({@code cgroup/connect4}, {@code cgroup/bind6}, {@code cgroup/sendmsg4},
     * {@code cgroup/getpeername6} ...): sees, and may rewrite or refuse, the address of a socket call.
     */
    CGROUP_SOCK_ADDR(18),
    /** A segment-routing local program ({@code lwt_seg6local}); read, not loaded by this library. */
    LWT_SEG6LOCAL(19),
    /** An infrared decoder ({@code lirc_mode2}); read, not loaded by this library. */
    LIRC_MODE2(20),
    /** A SO_REUSEPORT group's socket selector ({@code sk_reuseport}); read, not loaded by this library. */
    SK_REUSEPORT(21),
    /** A flow dissector ({@code flow_dissector}); read, not loaded by this library. */
    FLOW_DISSECTOR(22),
    /** A cgroup sysctl hook ({@code cgroup/sysctl}): sees, and may refuse, a cgroup's reads and writes of /proc/sys. */
    CGROUP_SYSCTL(23),
    /** A raw tracepoint that may write its arguments ({@code raw_tp.w/}); read, not loaded by this library. */
    RAW_TRACEPOINT_WRITABLE(24),
    /** A cgroup socket option hook ({@code cgroup/getsockopt}, {@code cgroup/setsockopt}). */
    CGROUP_SOCKOPT(25),
    /** A BTF-typed tracing program ({@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/}). */
    TRACING(26),
    /**
     * A member function of a kernel struct of operations ({@code struct_ops/}), e.g. a TCP
     * congestion-control callback; the struct_ops map that names it registers it, not an attach of its own.
     */
    STRUCT_OPS(27),
    /** A program that replaces a function of another loaded program ({@code freplace/}); read, not loaded by this library. */
    EXT(28),
    /** A Linux security module hook ({@code lsm/}, {@code lsm.s/}; {@code lsm_cgroup/}, run for one cgroup's processes). */
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

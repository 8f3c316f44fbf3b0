package dev.bpfglobals.runtime.attach;

import static dev.bpfglobals.runtime.attach.AutoAttach.MANUAL;

import dev.bpfglobals.runtime.internal.Iterators;
import dev.bpfglobals.runtime.internal.KprobeMulti;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.UprobeMulti;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of program sections this loader knows, mirroring libbpf's {@code section_defs}
 * ({@code SEC_DEF} in {@code libbpf.c}) for the types it supports: the section name's prefix, the
 * program type, the expected attach type, flags, and how the program attaches from its section
 * alone. The reader of an object ({@link ProgramType#ofSection}), the loader (expected attach type,
 * BTF target), {@code LoadedObject.attach} ({@link SectionAttach}) and the CLI's {@code inspect}
 * all read it. A new program type is a row here plus its attach file in this package.
 */
public final class SectionDefinitions {

    private static final String CGROUP_SKB_WAY = "attachCgroup(cgroupDirectory, CgroupHook.INET_INGRESS or INET_EGRESS)";
    private static final String CGROUP_SOCK_WAY = "attachCgroup(cgroupDirectory, CgroupHook.INET_SOCK_CREATE or INET_SOCK_RELEASE)";
    private static final String STRUCT_OPS_WAY = "none of its own: register the struct_ops map that names it with "
            + "LoadedObject.attach(mapName) or attachStructOps(mapName)";
    private static final String XDP_WAY = "attachXdp(interfaceName, XdpMode)";
    /** {@code BPF_XDP_DEVMAP} and {@code BPF_XDP_CPUMAP}: programs a devmap or cpumap entry runs, set by its value's fd. */
    private static final int XDP_DEVMAP = 33;
    private static final int XDP_CPUMAP = 35;

    /** Exact rows ({@code cgroup/sock_create}) come before the kind rows they refine ({@code cgroup_skb}). */
    private static final List<SectionDefinition> ROWS = List.of(
            row("socket", ProgramType.SOCKET_FILTER, 0, MANUAL, "attachSocket(socketFd)"),
            row("kprobe", ProgramType.KPROBE, 0, AutoAttach.KPROBE, "attachKprobe(function)"),
            row("kretprobe", ProgramType.KPROBE, 0, AutoAttach.KRETPROBE, "attachKretprobe(function)"),
            row("ksyscall", ProgramType.KPROBE, 0, AutoAttach.KSYSCALL, "attachKprobe(function)"),
            row("kretsyscall", ProgramType.KPROBE, 0, AutoAttach.KRETSYSCALL, "attachKretprobe(function)"),
            row("kprobe.multi", ProgramType.KPROBE, KprobeMulti.ATTACH_TYPE, AutoAttach.KPROBE_MULTI,
                    "attachKprobeMulti(pattern, functions or functions with cookies, false)"),
            row("kretprobe.multi", ProgramType.KPROBE, KprobeMulti.ATTACH_TYPE, AutoAttach.KRETPROBE_MULTI,
                    "attachKprobeMulti(pattern, functions or functions with cookies, true)"),
            row("uprobe", ProgramType.KPROBE, 0, AutoAttach.UPROBE, "attachUprobe(binary, function)"),
            row("uretprobe", ProgramType.KPROBE, 0, AutoAttach.URETPROBE, "attachUretprobe(binary, function)"),
            row("usdt", ProgramType.KPROBE, 0, AutoAttach.USDT, "attachUsdt(binary, provider, name, pid)"),
            uprobeMulti("uprobe.multi", AutoAttach.UPROBE_MULTI, Set.of(), false),
            uprobeMulti("uretprobe.multi", AutoAttach.URETPROBE_MULTI, Set.of(), true),
            uprobeMulti("uprobe.multi.s", AutoAttach.UPROBE_MULTI, EnumSet.of(SectionFlag.SLEEPABLE), false),
            uprobeMulti("uretprobe.multi.s", AutoAttach.URETPROBE_MULTI, EnumSet.of(SectionFlag.SLEEPABLE), true),
            row("tc", ProgramType.SCHED_CLS, 0, MANUAL, "attachTc(interfaceName, TcxDirection.INGRESS or EGRESS)"),
            row("classifier", ProgramType.SCHED_CLS, 0, MANUAL, "attachTc(interfaceName, TcxDirection.INGRESS or EGRESS)"),
            row("tcx", ProgramType.SCHED_CLS, 0, MANUAL, "attachTcx(interfaceName, TcxDirection.INGRESS or EGRESS)"),
            row("action", ProgramType.SCHED_ACT, 0, MANUAL, ""),
            row("tracepoint", ProgramType.TRACEPOINT, 0, AutoAttach.TRACEPOINT, "attachTracepoint(category, name)"),
            row("tp", ProgramType.TRACEPOINT, 0, AutoAttach.TRACEPOINT, "attachTracepoint(category, name)"),
            row("xdp/devmap", ProgramType.XDP, XDP_DEVMAP, MANUAL, ""),
            row("xdp.frags/devmap", ProgramType.XDP, XDP_DEVMAP, MANUAL, ""),
            row("xdp/cpumap", ProgramType.XDP, XDP_CPUMAP, MANUAL, ""),
            row("xdp.frags/cpumap", ProgramType.XDP, XDP_CPUMAP, MANUAL, ""),
            row("xdp", ProgramType.XDP, 0, MANUAL, XDP_WAY),
            row("xdp.frags", ProgramType.XDP, 0, MANUAL, XDP_WAY),
            row("perf_event", ProgramType.PERF_EVENT, 0, MANUAL,
                    "attachPerfEvent(counter, sampling, tid), attachPerfEvent(perfEventFd) or attachCpuClock(frequencyHz)"),
            row("cgroup_skb/ingress", ProgramType.CGROUP_SKB, Links.CGROUP_INET_INGRESS, MANUAL, CGROUP_SKB_WAY),
            row("cgroup_skb/egress", ProgramType.CGROUP_SKB, Links.CGROUP_INET_EGRESS, MANUAL, CGROUP_SKB_WAY),
            // Plain cgroup_skb: attachable either way, as libbpf's SEC("cgroup/skb").
            row("cgroup_skb", ProgramType.CGROUP_SKB, 0, MANUAL, CGROUP_SKB_WAY),
            row("cgroup/skb", ProgramType.CGROUP_SKB, 0, MANUAL, CGROUP_SKB_WAY),
            row("cgroup/sock_create", ProgramType.CGROUP_SOCK, Links.CGROUP_INET_SOCK_CREATE, MANUAL, CGROUP_SOCK_WAY),
            row("cgroup/sock_release", ProgramType.CGROUP_SOCK, Links.CGROUP_INET_SOCK_RELEASE, MANUAL, CGROUP_SOCK_WAY),
            row("cgroup/sock", ProgramType.CGROUP_SOCK, Links.CGROUP_INET_SOCK_CREATE, MANUAL, CGROUP_SOCK_WAY),
            cgroup("cgroup/post_bind4", ProgramType.CGROUP_SOCK, CgroupHook.INET4_POST_BIND),
            cgroup("cgroup/post_bind6", ProgramType.CGROUP_SOCK, CgroupHook.INET6_POST_BIND),
            cgroup("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET4_BIND),
            cgroup("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET6_BIND),
            cgroup("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET4_CONNECT),
            cgroup("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET6_CONNECT),
            cgroup("cgroup/connect_unix", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UNIX_CONNECT),
            cgroup("cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UDP4_SENDMSG),
            cgroup("cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UDP6_SENDMSG),
            cgroup("cgroup/sendmsg_unix", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UNIX_SENDMSG),
            cgroup("cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UDP4_RECVMSG),
            cgroup("cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UDP6_RECVMSG),
            cgroup("cgroup/recvmsg_unix", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UNIX_RECVMSG),
            cgroup("cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET4_GETPEERNAME),
            cgroup("cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET6_GETPEERNAME),
            cgroup("cgroup/getpeername_unix", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UNIX_GETPEERNAME),
            cgroup("cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET4_GETSOCKNAME),
            cgroup("cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.INET6_GETSOCKNAME),
            cgroup("cgroup/getsockname_unix", ProgramType.CGROUP_SOCK_ADDR, CgroupHook.UNIX_GETSOCKNAME),
            cgroup("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, CgroupHook.SYSCTL),
            cgroup("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, CgroupHook.GETSOCKOPT),
            cgroup("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, CgroupHook.SETSOCKOPT),
            cgroup("cgroup/dev", ProgramType.CGROUP_DEVICE, CgroupHook.DEVICE),
            cgroup("sockops", ProgramType.SOCK_OPS, CgroupHook.SOCK_OPS),
            new SectionDefinition("lsm_cgroup", ProgramType.LSM, CgroupHook.LSM_CGROUP.attachType(), EnumSet.of(SectionFlag.ATTACH_BTF),
                    MANUAL, "attachCgroup(cgroupDirectory, CgroupHook.LSM_CGROUP)"),
            sockmap("sk_skb/stream_parser", ProgramType.SK_SKB, SockmapHook.STREAM_PARSER),
            sockmap("sk_skb/stream_verdict", ProgramType.SK_SKB, SockmapHook.STREAM_VERDICT),
            sockmap("sk_skb/verdict", ProgramType.SK_SKB, SockmapHook.SKB_VERDICT),
            row("sk_skb", ProgramType.SK_SKB, 0, MANUAL, "attachSockmap(map, SockmapHook.STREAM_PARSER, STREAM_VERDICT or SKB_VERDICT)"),
            sockmap("sk_msg", ProgramType.SK_MSG, SockmapHook.MSG_VERDICT),
            row("raw_tracepoint", ProgramType.RAW_TRACEPOINT, 0, AutoAttach.RAW_TRACEPOINT, "attachRawTracepoint(name)"),
            row("raw_tp", ProgramType.RAW_TRACEPOINT, 0, AutoAttach.RAW_TRACEPOINT, "attachRawTracepoint(name)"),
            btf("tp_btf", Links.TRACE_RAW_TP),
            btf("fentry", Links.TRACE_FENTRY),
            btf("fexit", Links.TRACE_FEXIT),
            btf("fmod_ret", Links.MODIFY_RETURN),
            new SectionDefinition("iter", ProgramType.TRACING, Iterators.ATTACH_TYPE, EnumSet.of(SectionFlag.ATTACH_BTF),
                    AutoAttach.ITER, "attachIterator() or attachMapIterator(map)"),
            new SectionDefinition("iter.s", ProgramType.TRACING, Iterators.ATTACH_TYPE,
                    EnumSet.of(SectionFlag.ATTACH_BTF, SectionFlag.SLEEPABLE), AutoAttach.ITER, "attachIterator() or attachMapIterator(map)"),
            new SectionDefinition("lsm", ProgramType.LSM, Links.LSM_MAC, EnumSet.of(SectionFlag.ATTACH_BTF), AutoAttach.LSM, ""),
            new SectionDefinition("lsm.s", ProgramType.LSM, Links.LSM_MAC, EnumSet.of(SectionFlag.ATTACH_BTF, SectionFlag.SLEEPABLE),
                    AutoAttach.LSM, ""),
            row("sk_lookup", ProgramType.SK_LOOKUP, Links.SK_LOOKUP, MANUAL, "attachSkLookup(networkNamespace)"),
            row("netfilter", ProgramType.NETFILTER, Links.NETFILTER, MANUAL, "attachNetfilter(family, hook, priority)"),
            new SectionDefinition("syscall", ProgramType.SYSCALL, 0, EnumSet.of(SectionFlag.SLEEPABLE), MANUAL,
                    "run it with BpfProgram.run(context)"),
            // What a struct_ops program is verified for comes from the struct_ops map that names it.
            row("struct_ops", ProgramType.STRUCT_OPS, 0, MANUAL, STRUCT_OPS_WAY),
            new SectionDefinition("struct_ops.s", ProgramType.STRUCT_OPS, 0, EnumSet.of(SectionFlag.SLEEPABLE), MANUAL,
                    STRUCT_OPS_WAY),
            // Sleepable forms (libbpf's SEC_SLEEPABLE): the row of their plain kind, loaded with BPF_F_SLEEPABLE.
            sleepable("uprobe.s", ProgramType.KPROBE, 0, Set.of(), AutoAttach.UPROBE, "attachUprobe(binary, function)"),
            sleepable("uretprobe.s", ProgramType.KPROBE, 0, Set.of(), AutoAttach.URETPROBE, "attachUretprobe(binary, function)"),
            sleepable("usdt.s", ProgramType.KPROBE, 0, Set.of(), AutoAttach.USDT, "attachUsdt(binary, provider, name, pid)"),
            sleepable("tracepoint.s", ProgramType.TRACEPOINT, 0, Set.of(), AutoAttach.TRACEPOINT, "attachTracepoint(category, name)"),
            sleepable("tp.s", ProgramType.TRACEPOINT, 0, Set.of(), AutoAttach.TRACEPOINT, "attachTracepoint(category, name)"),
            sleepable("raw_tracepoint.s", ProgramType.RAW_TRACEPOINT, 0, Set.of(), AutoAttach.RAW_TRACEPOINT, "attachRawTracepoint(name)"),
            sleepable("raw_tp.s", ProgramType.RAW_TRACEPOINT, 0, Set.of(), AutoAttach.RAW_TRACEPOINT, "attachRawTracepoint(name)"),
            sleepable("tp_btf.s", ProgramType.TRACING, Links.TRACE_RAW_TP, Set.of(SectionFlag.ATTACH_BTF), AutoAttach.TRACING, ""),
            sleepable("fentry.s", ProgramType.TRACING, Links.TRACE_FENTRY, Set.of(SectionFlag.ATTACH_BTF), AutoAttach.TRACING, ""),
            sleepable("fexit.s", ProgramType.TRACING, Links.TRACE_FEXIT, Set.of(SectionFlag.ATTACH_BTF), AutoAttach.TRACING, ""),
            sleepable("fmod_ret.s", ProgramType.TRACING, Links.MODIFY_RETURN, Set.of(SectionFlag.ATTACH_BTF), AutoAttach.TRACING, ""),
            // libbpf's other kinds, which this loader reads but does not load: refused at load naming the kind.
            notLoadable("sk_reuseport/migrate", ProgramType.SK_REUSEPORT),
            notLoadable("sk_reuseport", ProgramType.SK_REUSEPORT),
            notLoadable("lwt_in", ProgramType.LWT_IN),
            notLoadable("lwt_out", ProgramType.LWT_OUT),
            notLoadable("lwt_xmit", ProgramType.LWT_XMIT),
            notLoadable("lwt_seg6local", ProgramType.LWT_SEG6LOCAL),
            notLoadable("lirc_mode2", ProgramType.LIRC_MODE2),
            notLoadable("flow_dissector", ProgramType.FLOW_DISSECTOR),
            notLoadable("raw_tp.w", ProgramType.RAW_TRACEPOINT_WRITABLE),
            notLoadable("raw_tracepoint.w", ProgramType.RAW_TRACEPOINT_WRITABLE),
            notLoadable("freplace", ProgramType.EXT),
            notLoadable("netkit/primary", ProgramType.SCHED_CLS),
            notLoadable("netkit/peer", ProgramType.SCHED_CLS),
            notLoadable("kprobe.session", ProgramType.KPROBE),
            notLoadable("uprobe.session", ProgramType.KPROBE),
            notLoadable("uprobe.session.s", ProgramType.KPROBE),
            notLoadable("fsession", ProgramType.TRACING),
            notLoadable("fsession.s", ProgramType.TRACING),
            notLoadable("fsession.multi", ProgramType.TRACING),
            notLoadable("fsession.multi.s", ProgramType.TRACING),
            notLoadable("fentry.multi", ProgramType.TRACING),
            notLoadable("fentry.multi.s", ProgramType.TRACING),
            notLoadable("fexit.multi", ProgramType.TRACING),
            notLoadable("fexit.multi.s", ProgramType.TRACING));

    private SectionDefinitions() {
    }

    /** {@return every row, in the order they are matched} */
    public static List<SectionDefinition> all() {
        return ROWS;
    }

    /**
     * The row for {@code section} (a leading {@code ?} aside): the row of that exact name, else the
     * row of its part before the first {@code /}; empty for a section this loader does not know
     * (libbpf's {@code struct_ops/}, or a {@code cgroup/} hook no kernel has).
     *
     * @param section an ELF section name, e.g. {@code kprobe/do_unlinkat}
     * @return the section's row, or empty
     */
    public static Optional<SectionDefinition> find(String section) {
        String bare = withoutAutoloadMark(section);
        int slash = bare.indexOf('/');
        String kind = slash < 0 ? bare : bare.substring(0, slash);
        return ROWS.stream().filter(row -> row.prefix().equals(bare)).findFirst()
                .or(() -> ROWS.stream().filter(row -> row.matches(bare, kind)).findFirst());
    }

    /** {@code section} without libbpf's leading {@code ?} ("do not load automatically"). */
    static String withoutAutoloadMark(String section) {
        return section.startsWith("?") ? section.substring(1) : section;
    }

    private static SectionDefinition row(String prefix, ProgramType type, int expectedAttachType, AutoAttach auto, String manual) {
        return new SectionDefinition(prefix, type, expectedAttachType, Set.of(), auto, manual);
    }

    private static SectionDefinition cgroup(String prefix, ProgramType type, CgroupHook hook) {
        return new SectionDefinition(prefix, type, hook.attachType(), Set.of(), MANUAL, "attachCgroup(cgroupDirectory, CgroupHook." + hook + ")");
    }

    private static SectionDefinition sockmap(String prefix, ProgramType type, SockmapHook hook) {
        return new SectionDefinition(prefix, type, hook.attachType(), Set.of(), MANUAL, "attachSockmap(map, SockmapHook." + hook + ")");
    }

    private static SectionDefinition sleepable(String prefix, ProgramType type, int expectedAttachType, Set<SectionFlag> flags,
            AutoAttach auto, String manual) {
        Set<SectionFlag> all = EnumSet.of(SectionFlag.SLEEPABLE);
        all.addAll(flags);
        return new SectionDefinition(prefix, type, expectedAttachType, all, auto, manual);
    }

    private static SectionDefinition notLoadable(String prefix, ProgramType type) {
        return new SectionDefinition(prefix, type, 0, EnumSet.of(SectionFlag.NOT_LOADABLE), MANUAL, "");
    }

    private static SectionDefinition uprobeMulti(String prefix, AutoAttach auto, Set<SectionFlag> flags, boolean retprobe) {
        return new SectionDefinition(prefix, ProgramType.KPROBE, UprobeMulti.ATTACH_TYPE, flags, auto,
                "attachUprobeMulti(binary, pattern, " + retprobe + ")");
    }

    private static SectionDefinition btf(String prefix, int expectedAttachType) {
        return new SectionDefinition(prefix, ProgramType.TRACING, expectedAttachType, EnumSet.of(SectionFlag.ATTACH_BTF),
                AutoAttach.TRACING, "");
    }
}

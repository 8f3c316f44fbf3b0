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
            row("syscall", ProgramType.SYSCALL, 0, MANUAL, ""),
            // What a struct_ops program is verified for comes from the struct_ops map that names it.
            row("struct_ops", ProgramType.STRUCT_OPS, 0, MANUAL, STRUCT_OPS_WAY),
            new SectionDefinition("struct_ops.s", ProgramType.STRUCT_OPS, 0, EnumSet.of(SectionFlag.SLEEPABLE), MANUAL,
                    STRUCT_OPS_WAY));

    private SectionDefinitions() {
    }

    /** {@return every row, in the order they are matched} */
    public static List<SectionDefinition> all() {
        return ROWS;
    }

    /**
     * The row for {@code section} (a leading {@code ?} aside): the row of that exact name, else the
     * row of its part before the first {@code /}; empty for a section this loader does not know
     * ({@code cgroup/} hooks other than {@code skb} and the {@code sock} ones among them).
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

    private static SectionDefinition uprobeMulti(String prefix, AutoAttach auto, Set<SectionFlag> flags, boolean retprobe) {
        return new SectionDefinition(prefix, ProgramType.KPROBE, UprobeMulti.ATTACH_TYPE, flags, auto,
                "attachUprobeMulti(binary, pattern, " + retprobe + ")");
    }

    private static SectionDefinition btf(String prefix, int expectedAttachType) {
        return new SectionDefinition(prefix, ProgramType.TRACING, expectedAttachType, EnumSet.of(SectionFlag.ATTACH_BTF),
                AutoAttach.TRACING, "");
    }
}

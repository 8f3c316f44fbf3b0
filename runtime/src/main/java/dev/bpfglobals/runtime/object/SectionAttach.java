package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.BpfProgram;

/**
 * Attaches a program where its section name says, as libbpf's {@code bpf_program__attach} does for
 * sections that carry their target: {@code kprobe/FUNC}, {@code kretprobe/FUNC}, {@code ksyscall/NAME}
 * and {@code kretsyscall/NAME} (a kprobe on the architecture's handler of system call NAME),
 * {@code kprobe.multi/PATTERN} and {@code kretprobe.multi/PATTERN} (a kprobe_multi link on every
 * function the glob matches),
 * {@code uprobe/BINARY:FUNCTION[+OFFSET]} and {@code uretprobe/...} ({@link UprobeSection}),
 * {@code tracepoint/CATEGORY/NAME} and {@code tp/CATEGORY/NAME}, {@code raw_tp/NAME} and
 * {@code raw_tracepoint/NAME}, and TRACING sections ({@code tp_btf/}, {@code fentry/}, {@code fexit/},
 * {@code fmod_ret/}), whose target was fixed at load. Sections that name no target (a cgroup, an interface, a socket)
 * are refused, naming the {@link BpfProgram} method that takes one.
 */
final class SectionAttach {

    private SectionAttach() {
    }

    static BpfProgram.Link attach(BpfProgram program, String name, String section) {
        String bare = ProgramSpec.withoutAutoloadMark(section);
        int slash = bare.indexOf('/');
        String kind = slash < 0 ? bare : bare.substring(0, slash);
        String target = slash < 0 ? "" : bare.substring(slash + 1);
        if (target.isEmpty() && TARGETED.contains(kind)) {
            throw new IllegalArgumentException("program '" + name + "' in section '" + section + "' names no " + kind
                    + " target; attach it with the BpfProgram method that takes one (" + WAY.getOrDefault(kind, "see BpfProgram") + ")");
        }
        return switch (kind) {
            case "kprobe" -> program.attachKprobe(target);
            case "kretprobe" -> program.attachKretprobe(target);
            case "ksyscall" -> program.attachKprobe(syscallHandler(target));
            case "kprobe.multi" -> program.attachKprobeMulti(target, false);
            case "kretprobe.multi" -> program.attachKprobeMulti(target, true);
            case "kretsyscall" -> program.attachKretprobe(syscallHandler(target));
            case "tracepoint", "tp" -> {
                int split = target.indexOf('/');
                if (split <= 0 || split == target.length() - 1) {
                    throw new IllegalArgumentException("program '" + name + "' in section '" + section
                            + "': a tracepoint section names CATEGORY/NAME, e.g. tp/syscalls/sys_enter_getpid");
                }
                yield program.attachTracepoint(target.substring(0, split), target.substring(split + 1));
            }
            case "raw_tp", "raw_tracepoint" -> program.attachRawTracepoint(target);
            case "uprobe", "uretprobe" -> {
                UprobeSection probe = UprobeSection.parse(name, section, target);
                boolean retprobe = kind.equals("uretprobe");
                if (probe.offset() == 0) {
                    yield retprobe ? program.attachUretprobe(probe.binary(), probe.function())
                            : program.attachUprobe(probe.binary(), probe.function());
                }
                long start = dev.bpfglobals.runtime.internal.ElfFunctions.offsetOf(probe.binary(), probe.function());
                yield program.attachUprobe(probe.binary(), start + probe.offset(), retprobe);
            }
            case "tp_btf", "fentry", "fexit", "fmod_ret" -> program.attachTracing();
            default -> throw new IllegalArgumentException("program '" + name + "' in section '" + section
                    + "' cannot be attached from its section name alone; use the BpfProgram method for its target ("
                    + WAY.getOrDefault(kind, "this loader has no attach for it yet") + ")");
        };
    }

    /**
     * The kernel function behind system call {@code name} on this architecture, as libbpf's
     * {@code ksyscall/} sections find it: {@code __x64_sys_getpid} on x86-64.
     */
    static String syscallHandler(String name) {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "__x64_sys_" + name;
            case "aarch64" -> "__arm64_sys_" + name;
            case "s390x" -> "__s390x_sys_" + name;
            case "riscv64" -> "__riscv_sys_" + name;
            default -> "sys_" + name;
        };
    }

    private static final java.util.Set<String> TARGETED = java.util.Set.of("kprobe", "kretprobe", "kprobe.multi", "kretprobe.multi", "ksyscall", "kretsyscall",
            "tracepoint", "tp",
            "raw_tp", "raw_tracepoint", "uprobe", "uretprobe");

    private static final java.util.Map<String, String> WAY = java.util.Map.ofEntries(
            java.util.Map.entry("cgroup_skb", "attachCgroup(cgroupDirectory, CgroupHook.INET_INGRESS or INET_EGRESS)"),
            java.util.Map.entry("cgroup", "attachCgroup(cgroupDirectory, CgroupHook.INET_SOCK_CREATE or INET_SOCK_RELEASE)"),
            java.util.Map.entry("tcx", "attachTcx(interfaceName, TcxDirection.INGRESS or EGRESS)"),
            java.util.Map.entry("tc", "attachTc(interfaceName, TcxDirection.INGRESS or EGRESS)"),
            java.util.Map.entry("socket", "attachSocket(socketFd)"),
            java.util.Map.entry("perf_event", "attachCpuClock(frequencyHz)"),
            java.util.Map.entry("kprobe", "attachKprobe(function)"),
            java.util.Map.entry("kprobe.multi", "attachKprobeMulti(pattern or functions, false)"),
            java.util.Map.entry("kretprobe.multi", "attachKprobeMulti(pattern or functions, true)"),
            java.util.Map.entry("ksyscall", "attachKprobe(function)"),
            java.util.Map.entry("kretsyscall", "attachKretprobe(function)"),
            java.util.Map.entry("kretprobe", "attachKretprobe(function)"),
            java.util.Map.entry("tracepoint", "attachTracepoint(category, name)"),
            java.util.Map.entry("uprobe", "attachUprobe(binary, function)"),
            java.util.Map.entry("uretprobe", "attachUretprobe(binary, function)"),
            java.util.Map.entry("tp", "attachTracepoint(category, name)"),
            java.util.Map.entry("raw_tp", "attachRawTracepoint(name)"),
            java.util.Map.entry("raw_tracepoint", "attachRawTracepoint(name)"));
}

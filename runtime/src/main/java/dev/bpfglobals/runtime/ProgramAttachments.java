package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.attach.CgroupAttach;
import dev.bpfglobals.runtime.attach.CgroupHook;
import dev.bpfglobals.runtime.attach.KprobeAttach;
import dev.bpfglobals.runtime.attach.KprobeMultiAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.PerfEventAttach;
import dev.bpfglobals.runtime.attach.SocketAttach;
import dev.bpfglobals.runtime.attach.TcAttach;
import dev.bpfglobals.runtime.attach.TcxAttach;
import dev.bpfglobals.runtime.attach.TcxDirection;
import dev.bpfglobals.runtime.attach.TracepointAttach;
import dev.bpfglobals.runtime.attach.TracingAttach;
import dev.bpfglobals.runtime.attach.UprobeAttach;
import dev.bpfglobals.runtime.attach.UsdtAttach;
import dev.bpfglobals.runtime.attach.XdpAttach;
import dev.bpfglobals.runtime.attach.XdpMode;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code attach*} methods of a {@link BpfProgram}, kept in a file of their own so that the
 * program class stays readable: each is a thin delegate to the attach class of its family in
 * {@link dev.bpfglobals.runtime.attach} and returns a {@link Link}, which detaches when closed.
 * Sealed: {@link BpfProgram} is its only implementation. uprobe_multi, LSM and iterator attach
 * methods sit in {@link HookAttachments}, perf-event sampling and kprobe_multi cookies in
 * {@link EventAttachments}; this extends both.
 */
public sealed interface ProgramAttachments extends HookAttachments, EventAttachments permits BpfProgram {

    /**
     * The program's descriptor, lent to the attach classes.
     *
     * @return the program's file descriptor, still owned by the program
     */
    @Override
    BpfFd fd();

    /**
     * What the kernel says about the program; the attach classes read its type and name.
     *
     * @return the kernel's current information about the program
     */
    @Override
    ProgramInfo info();

    /**
     * Attaches this (raw tracepoint) program to raw tracepoint {@code name}, e.g. {@code sys_enter}.
     *
     * @param name the raw tracepoint's name
     * @return the attachment, which detaches when closed
     */
    default Link attachRawTracepoint(String name) {
        return TracepointAttach.raw(fd(), name);
    }

    /**
     * Attaches this KPROBE program to the entry of kernel function {@code function} (a name from
     * {@code /proc/kallsyms}, e.g. {@code __x64_sys_getpid}), through the kernel's kprobe PMU.
     *
     * @param function the kernel function to probe
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel has no kprobes, naming what to use instead
     * @throws IllegalArgumentException     where the kernel cannot probe {@code function}
     */
    default Link attachKprobe(String function) {
        return KprobeAttach.attach(fd(), function, false);
    }

    /**
     * As {@link #attachKprobe}, on the return of {@code function} (a kretprobe).
     *
     * @param function the kernel function to probe
     * @return the attachment, which detaches when closed
     */
    default Link attachKretprobe(String function) {
        return KprobeAttach.attach(fd(), function, true);
    }

    /**
     * Attaches this KPROBE program, loaded from a {@code kprobe.multi/} or {@code kretprobe.multi/}
     * section, to the entries (or, with {@code retprobe}, the returns) of every kernel function whose
     * name matches glob {@code pattern} ({@code *} any run, {@code ?} one character, e.g.
     * {@code __x64_sys_getp?id}), all through one kprobe_multi link, as libbpf's
     * {@code kprobe.multi/PATTERN} sections attach. Names come from tracefs'
     * {@code available_filter_functions} (what the kernel can attach to), else {@code /proc/kallsyms}.
     *
     * @param pattern a glob over kernel function names
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all matching functions, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where no function matches {@code pattern}
     */
    default Link attachKprobeMulti(String pattern, boolean retprobe) {
        return KprobeMultiAttach.matching(fd(), pattern, retprobe);
    }

    /**
     * As {@link #attachKprobeMulti(String, boolean)}, on exactly the kernel functions {@code functions}
     * (names from {@code /proc/kallsyms}, each once).
     *
     * @param functions the kernel functions to attach to, each once
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where {@code functions} is empty, repeats a name, or the
     *                                      kernel cannot attach to one of them
     */
    default Link attachKprobeMulti(List<String> functions, boolean retprobe) {
        return KprobeMultiAttach.exactly(fd(), functions, retprobe);
    }

    /**
     * Attaches this KPROBE program to the entry of function {@code function} of the ELF executable
     * or shared library {@code binary} (e.g. {@code /usr/lib/x86_64-linux-gnu/libc.so.6} and
     * {@code getpid}), in every process that runs it: a uprobe, through the kernel's uprobe PMU. The
     * function is found by name in the file's {@code .symtab} or {@code .dynsym}, as libbpf finds it.
     *
     * @param binary the ELF executable or shared library holding the function
     * @param function the function's symbol name
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException     where the file lacks the function or the kernel refuses the probe
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    default Link attachUprobe(Path binary, String function) {
        return UprobeAttach.function(fd(), binary, function, false);
    }

    /**
     * As {@link #attachUprobe(Path, String)}, on the return of {@code function} (a uretprobe).
     *
     * @param binary the ELF executable or shared library holding the function
     * @param function the function's symbol name
     * @return the attachment, which detaches when closed
     */
    default Link attachUretprobe(Path binary, String function) {
        return UprobeAttach.function(fd(), binary, function, true);
    }

    /**
     * Attaches this KPROBE program to every site of USDT probe {@code provider:name} (a {@code <sys/sdt.h>}
     * probe, e.g. {@code hotspot:gc__begin} of {@code libjvm.so}) in {@code binary}, in process {@code pid}
     * alone or, with -1, in every process that runs the file, as libbpf's {@code bpf_program__attach_usdt}:
     * the program reads the probe's arguments with {@code usdt.bpf.h}'s {@code bpf_usdt_arg()} or
     * {@code BPF_USDT}, unchanged. A probe with a semaphore has it raised while attached.
     *
     * @param binary the ELF executable or shared library that defines the probe
     * @param provider the probe's provider, e.g. {@code hotspot}
     * @param name the probe's name, e.g. {@code gc__begin}
     * @param pid the process to trace, or -1 for every process
     * @return one link over all of the probe's sites, which detaches them all when closed
     * @throws IllegalArgumentException     where the file lacks the probe, an argument spec cannot be
     *                                      read, or the kernel refuses a uprobe, naming which
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    default Link attachUsdt(Path binary, String provider, String name, int pid) {
        return UsdtAttach.attach(fd(), binary, provider, name, pid);
    }

    /**
     * Attaches this KPROBE program at byte {@code fileOffset} of {@code binary} (with
     * {@code retprobe}, on the return of the function starting there): a uprobe by offset, for
     * functions without a symbol.
     *
     * @param binary the ELF executable or shared library to probe
     * @param fileOffset the byte offset in the file (not a virtual address) of the probed instruction
     * @param retprobe {@code true} to run on the return of the function starting at that offset
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException     where the kernel refuses the file or offset
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    default Link attachUprobe(Path binary, long fileOffset, boolean retprobe) {
        return UprobeAttach.offset(fd(), binary, fileOffset, retprobe);
    }

    /**
     * Attaches this TRACEPOINT program to tracepoint {@code category/name}, e.g.
     * {@code syscalls/sys_enter_getpid} (what follows {@code tp/} or {@code tracepoint/} in a section
     * name), through a perf event with the id tracefs gives it.
     *
     * @param category the tracepoint's category (its tracefs directory), e.g. {@code syscalls}
     * @param name the tracepoint's name within the category, e.g. {@code sys_enter_getpid}
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where no tracefs is mounted, naming the mount command
     * @throws IllegalArgumentException     where the kernel has no such tracepoint
     */
    default Link attachTracepoint(String category, String name) {
        return TracepointAttach.attach(fd(), category, name);
    }

    /**
     * Attaches this TRACING program ({@code tp_btf/}, {@code fentry/}, {@code fexit/},
     * {@code fmod_ret/}) to the kernel function or BTF tracepoint it was verified for at load.
     *
     * @return the attachment, which detaches when closed
     * @throws BpfException naming the errno: {@code EINVAL} for a program of another type,
     *                      {@code ENOTSUPP} where the kernel has no BPF trampolines
     */
    default Link attachTracing() {
        return TracingAttach.attach(fd(), info().name());
    }

    /**
     * Attaches this program to the cgroup v2 directory {@code cgroup} at {@code hook} with a BPF
     * link (kernel 5.7+): it then runs for every process in that cgroup and its descendants. The hook
     * is the one the program's section names ({@link CgroupHook#ofSection}: {@code cgroup/connect4} is
     * {@link CgroupHook#INET4_CONNECT}, {@code sockops} {@link CgroupHook#SOCK_OPS}, {@code lsm_cgroup/HOOK}
     * {@link CgroupHook#LSM_CGROUP}). A CGROUP_SKB program's return of 1 lets a packet through, 0 drops it;
     * the socket, address, sysctl, sockopt and device hooks' 0 refuses the call with {@code EPERM}.
     *
     * @param cgroup the cgroup v2 directory, e.g. {@code /sys/fs/cgroup/my.slice}
     * @param hook where in the cgroup's socket path the program runs
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where {@code cgroup} cannot be opened as a directory
     * @throws BpfException naming the errno: {@code EBADF} where the directory is not a cgroup v2 one,
     *                      {@code EINVAL} where the program was loaded for another hook
     */
    default Link attachCgroup(Path cgroup, CgroupHook hook) {
        return CgroupAttach.attach(fd(), cgroup, hook);
    }

    /**
     * Attaches this SCHED_CLS program ({@code tcx/ingress}, {@code tcx/egress}, {@code tc}) to
     * interface {@code interfaceName} through TCX (kernel 6.6+), after the programs already there.
     * The program's return decides the packet: {@code TCX_NEXT} (-1) passes it on, {@code TCX_PASS}
     * (0) accepts it, {@code TCX_DROP} (2) drops it.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction whether the program sees the packets the interface receives or sends
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where there is no such interface
     * @throws UnsupportedOperationException where the kernel has no TCX, naming the way out
     */
    default Link attachTcx(String interfaceName, TcxDirection direction) {
        return TcxAttach.attach(fd(), interfaceName, direction);
    }

    /**
     * Attaches this SCHED_CLS program ({@code tc}, {@code tcx/ingress}, {@code tcx/egress}) to
     * {@code direction} of interface {@code interfaceName} the way the kernel allows: through TCX
     * where it has it (6.6+, as {@link #attachTcx}), else as {@link #attachTcClassic} does, with
     * priority 1 and handle 1. A classic filter runs in direct-action mode, where the program's
     * return is a {@code TC_ACT_*} verdict: {@code TC_ACT_UNSPEC} (-1, the same number as
     * {@code TCX_NEXT}) and {@code TC_ACT_OK} (0) pass the packet, {@code TC_ACT_SHOT} (2) drops it.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction whether the program sees the packets the interface receives or sends
     * @return the attachment, which detaches when closed (a TCX link or the classic filter)
     * @throws IllegalArgumentException where there is no such interface or the program is not SCHED_CLS
     * @throws dev.bpfglobals.runtime.kernel.NetlinkException naming the errno where the classic path is
     *         refused: {@code EPERM} without CAP_NET_ADMIN, {@code EEXIST} where a filter is already at
     *         priority 1 handle 1
     */
    default Link attachTc(String interfaceName, TcxDirection direction) {
        return TcAttach.attach(fd(), info(), interfaceName, direction);
    }

    /**
     * As {@link #attachTcClassic(String, TcxDirection, int, int)} with libbpf's defaults, priority 1 and handle 1.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction whether the program sees the packets the interface receives or sends
     * @return the attachment, which deletes the filter when closed
     */
    default Link attachTcClassic(String interfaceName, TcxDirection direction) {
        return attachTcClassic(interfaceName, direction, 1, 1);
    }

    /**
     * Attaches this SCHED_CLS program to {@code direction} of interface {@code interfaceName} as a
     * classic tc filter, whatever the kernel has, as libbpf's {@code bpf_tc_hook_create} and
     * {@code bpf_tc_attach} do and as {@code tc filter add dev IF ingress pref P handle H bpf da}
     * would: over rtnetlink, a {@code clsact} qdisc (used as it is where one exists) and on its hook a
     * direct-action {@code bpf} filter for every protocol. Closing the link deletes exactly that
     * filter (if it still runs this program) and, like libbpf's {@code bpf_tc_detach}, leaves the
     * qdisc, which other filters may share by then. The link remembers the network namespace it was
     * made in.
     *
     * @param priority the filter's priority, 1 to 65535 (lower runs first)
     * @param handle   the filter's handle within that priority, not 0
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction whether the program sees the packets the interface receives or sends
     * @return the attachment, which deletes the filter when closed
     * @throws IllegalArgumentException where there is no such interface, the program is not SCHED_CLS,
     *                                  or priority or handle are out of range
     * @throws dev.bpfglobals.runtime.kernel.NetlinkException naming the errno and the way out:
     *         {@code EPERM} without CAP_NET_ADMIN, {@code EEXIST} where a filter is already there
     */
    default Link attachTcClassic(String interfaceName, TcxDirection direction, int priority, int handle) {
        return TcAttach.attachClassic(fd(), info(), interfaceName, direction, priority, handle);
    }

    /**
     * Attaches this SOCKET_FILTER program to the socket with file descriptor {@code socketFd}
     * ({@code SO_ATTACH_BPF}): it then sees every packet the socket receives, and its return is
     * how many bytes of it to keep (0 drops it). Closing the link detaches it
     * ({@code SO_DETACH_BPF}); the socket stays the caller's.
     *
     * @param socketFd an open socket's descriptor, which stays the caller's
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the kernel refuses, naming the errno
     */
    default Link attachSocket(int socketFd) {
        return SocketAttach.attach(fd(), socketFd);
    }

    /**
     * Attaches this PERF_EVENT program ({@code perf_event} section) to a software CPU-clock event on
     * every online CPU, sampling each {@code frequencyHz} times a second whatever runs there: one
     * link holds an event and its BPF link per CPU.
     *
     * @param frequencyHz samples per second on each CPU, 1 to 100000
     * @return the attachment, which closes every CPU's event and link when closed
     * @throws IllegalArgumentException for a frequency outside 1 to 100000 Hz
     * @throws IllegalStateException naming the errno where the kernel refuses the events
     */
    default Link attachCpuClock(int frequencyHz) {
        return PerfEventAttach.cpuClock(fd(), frequencyHz, PossibleCpus.system().ids());
    }

    /**
     * Attaches this XDP program ({@code xdp}, {@code xdp.frags}) to interface {@code interfaceName}
     * in {@code mode} with an XDP link (kernel 5.9+), else over rtnetlink ({@code IFLA_XDP}) as
     * libbpf's {@code bpf_xdp_attach} does. The program's return decides each received
     * packet: {@code XDP_PASS} (2) hands it to the network stack, {@code XDP_DROP} (1) drops it.
     * {@link XdpAttach#attachedProgramId} reads back which program the interface runs.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param mode which XDP hook: {@link XdpMode#GENERIC} works on every interface, {@code lo} included
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where there is no such interface, the program is not XDP, an
     *         XDP program is already attached there in that mode ({@code EBUSY}), or the driver has no
     *         native hook for {@code mode} ({@code EOPNOTSUPP}, naming {@code GENERIC})
     */
    default Link attachXdp(String interfaceName, XdpMode mode) {
        return XdpAttach.attach(fd(), info(), interfaceName, mode);
    }

    /**
     * As {@link #attachXdp(String, XdpMode)} in {@link XdpMode#KERNEL_CHOOSES}: the driver's native
     * hook where it has one, else the generic one.
     *
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @return the attachment, which detaches when closed
     */
    default Link attachXdp(String interfaceName) {
        return attachXdp(interfaceName, XdpMode.KERNEL_CHOOSES);
    }

    /**
     * Makes {@code xdpLink} (made by {@link #attachXdp}) run this XDP program in place of
     * {@code expected}, atomically ({@code BPF_LINK_UPDATE} with {@code BPF_F_REPLACE}); the link
     * keeps its interface and mode, and closing it detaches this program.
     *
     * @param xdpLink the XDP link, still open
     * @param expected the program the link runs now
     * @throws IllegalArgumentException where {@code xdpLink} is no XDP link (or one made over netlink,
     *         before 5.9), this program is not XDP, or the link runs another program than
     *         {@code expected} ({@code EPERM})
     */
    default void replaceXdp(Link xdpLink, ProgramAttachments expected) {
        XdpAttach.replace(xdpLink, fd(), info(), expected.fd());
    }
}

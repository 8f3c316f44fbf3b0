package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.ElfFunctions;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.internal.PerfEvents;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded BPF program, the owner of its file descriptor (see {@link BpfMap} for who closes what),
 * that can be run with {@code BPF_PROG_TEST_RUN} or attached: what a {@code ProgramSpec} becomes
 * when it is loaded. Get one from {@code LoadedObject.program(name)} (a new owner each time), or
 * open a pinned one.
 */
public final class BpfProgram implements AutoCloseable {

    private final BpfFd fd;

    private BpfProgram(BpfFd fd) {
        this.fd = fd;
    }

    /**
     * Opens the program pinned at {@code path}.
     *
     * @throws IllegalArgumentException if what is pinned there is not a program (a map, a link)
     */
    public static BpfProgram openPinned(Path path) {
        BpfFd fd = Bpf.objGet(path.toString(), 0, "program " + path);
        String kind = Bpf.objectKind(fd);
        if (!kind.equals("program")) {
            fd.close();
            throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a program");
        }
        return new BpfProgram(fd);
    }

    /**
     * Opens the program behind a file descriptor the caller owns, by duplicating it: the caller's
     * descriptor stays open and stays the caller's to close.
     */
    public static BpfProgram openFd(int fd, String name) {
        return new BpfProgram(BpfFd.duplicateOf(fd, "program " + name));
    }

    /** Takes ownership of {@code fd}, a program's descriptor; the caller must not close it afterwards. */
    public static BpfProgram adopt(BpfFd fd) {
        return new BpfProgram(java.util.Objects.requireNonNull(fd, "fd"));
    }

    /** A second owner of this program, with a descriptor of its own. */
    public BpfProgram dup() {
        return new BpfProgram(fd.dup());
    }

    /** This program's descriptor, lent: it stays this program's, which closes it (for interop). */
    public BpfFd fd() {
        return fd;
    }

    /** Pins the program at {@code path} on a bpffs mount, so that it outlives this process's descriptors. */
    public void pin(Path path) {
        Bpf.pin(fd, path.toString());
    }

    /** What one test run returned. */
    public record RunResult(int returnValue, int averageNanos) {
    }

    /**
     * Runs the program {@code repeat} times on {@code packet}, on CPU {@code cpu}: the calling thread
     * is pinned there for the run (the kernel runs test runs on the calling CPU) and then restored.
     */
    public RunResult testRun(byte[] packet, int repeat, int cpu) {
        fd.value(); // a closed program fails here, before the thread is pinned
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not a possible CPU (" + PossibleCpus.system() + ")");
        }
        byte[] saved = Sys.currentAffinity();
        int pinned = Sys.pinCurrentThread(cpu);
        if (pinned < 0) {
            throw new IllegalStateException("cannot pin this thread to CPU " + cpu + ": " + Errno.of(-pinned)
                    + " (is the CPU online and in this process's cpuset?)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, packet);
            Bpf.TestRun run = Bpf.testRun(fd, data, repeat);
            return new RunResult(run.returnValue(), run.durationNanos());
        } finally {
            Sys.restoreAffinity(saved);
        }
    }

    /**
     * Runs this raw tracepoint program once on CPU {@code cpu} with {@code arguments} as the
     * tracepoint's arguments (its context), as mainline's selftests do with
     * {@code BPF_F_TEST_RUN_ON_CPU}: the kernel itself runs the program on that CPU, so the calling
     * thread is not pinned. The kernel takes this flag for raw tracepoint programs only, does not
     * time such runs ({@code averageNanos} is 0) and takes no repeat count.
     *
     * @param arguments the tracepoint's arguments, at most 12 (may be empty if the program reads none)
     * @param cpu       an online CPU
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU
     * @throws BpfException naming the CPU; {@code ENXIO} when it is not online, {@code EINVAL} for a
     *                      program of another type or arguments the program reads past
     */
    public RunResult testRunOnCpu(long[] arguments, int cpu) {
        fd.value();
        if (!PossibleCpus.system().contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not a possible CPU (" + PossibleCpus.system() + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = arguments.length == 0 ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_LONG, arguments);
            Bpf.TestRun run = Bpf.testRunContext(fd, context, Bpf.F_TEST_RUN_ON_CPU, cpu);
            return new RunResult(run.returnValue(), run.durationNanos());
        }
    }

    /**
     * An attachment of a program; closing it detaches the program. It owns what keeps the program
     * attached: a BPF link, and for kprobes and tracepoints also the perf event the program runs on.
     */
    public static final class Link implements AutoCloseable {
        private final String what;
        private final List<BpfFd> fds;
        private final Runnable detach;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Link(String what, BpfFd... fds) {
            this(what, () -> { }, fds);
        }

        private Link(String what, Runnable detach, BpfFd... fds) {
            this.what = what;
            this.detach = detach;
            this.fds = List.of(fds);
        }

        /** A link that runs {@code detach} and then closes {@code fds} when it closes. */
        static Link of(String what, Runnable detach, BpfFd... fds) {
            return new Link(what, detach, fds);
        }

        /** Detaches (the link first, then the event it holds); later calls do nothing. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                detach.run();
                for (BpfFd owned : fds) {
                    owned.close();
                }
            }
        }

        @Override
        public String toString() {
            return "Link[" + what + "]";
        }
    }

    /** Attaches this (raw tracepoint) program to raw tracepoint {@code name}, e.g. {@code sys_enter}. */
    public Link attachRawTracepoint(String name) {
        return new Link("raw tracepoint " + name, Bpf.rawTracepointOpen(name, fd));
    }

    /**
     * Attaches this KPROBE program to the entry of kernel function {@code function} (a name from
     * {@code /proc/kallsyms}, e.g. {@code __x64_sys_getpid}), through the kernel's kprobe PMU.
     *
     * @throws UnsupportedOperationException where the kernel has no kprobes, naming what to use instead
     * @throws IllegalArgumentException     where the kernel cannot probe {@code function}
     */
    public Link attachKprobe(String function) {
        return perfEventLink("kprobe " + function, PerfEvents.kprobe(function, false));
    }

    /** As {@link #attachKprobe}, on the return of {@code function} (a kretprobe). */
    public Link attachKretprobe(String function) {
        return perfEventLink("kretprobe " + function, PerfEvents.kprobe(function, true));
    }

    /**
     * Attaches this KPROBE program, loaded from a {@code kprobe.multi/} or {@code kretprobe.multi/}
     * section, to the entries (or, with {@code retprobe}, the returns) of every kernel function whose
     * name matches glob {@code pattern} ({@code *} any run, {@code ?} one character, e.g.
     * {@code __x64_sys_getp?id}), all through one kprobe_multi link, as libbpf's
     * {@code kprobe.multi/PATTERN} sections attach. Names come from tracefs'
     * {@code available_filter_functions} (what the kernel can attach to), else {@code /proc/kallsyms}.
     *
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where no function matches {@code pattern}
     */
    public Link attachKprobeMulti(String pattern, boolean retprobe) {
        String what = (retprobe ? "kretprobe.multi" : "kprobe.multi") + " on '" + pattern + "'";
        List<String> functions = dev.bpfglobals.runtime.internal.KernelFunctions.matching(pattern);
        if (functions.isEmpty()) {
            throw new IllegalArgumentException(what + ": no kernel function matches the pattern (names come from "
                    + "available_filter_functions in tracefs, else /proc/kallsyms)");
        }
        return kprobeMulti(what, functions, retprobe);
    }

    /**
     * As {@link #attachKprobeMulti(String, boolean)}, on exactly the kernel functions {@code functions}
     * (names from {@code /proc/kallsyms}, each once).
     *
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where {@code functions} is empty, repeats a name, or the
     *                                      kernel cannot attach to one of them
     */
    public Link attachKprobeMulti(List<String> functions, boolean retprobe) {
        String what = (retprobe ? "kretprobe.multi" : "kprobe.multi") + " on " + functions;
        if (functions.isEmpty() || new java.util.HashSet<>(functions).size() != functions.size()) {
            throw new IllegalArgumentException(what + ": name each kernel function once, and at least one");
        }
        return kprobeMulti(what, List.copyOf(functions), retprobe);
    }

    private Link kprobeMulti(String what, List<String> functions, boolean retprobe) {
        if (!dev.bpfglobals.runtime.internal.KprobeMulti.supported()) {
            throw new UnsupportedOperationException(what + ": this kernel (" + System.getProperty("os.version")
                    + ") makes no kprobe_multi links (they need kernel 5.18+ built with CONFIG_FPROBE); "
                    + "attach single kprobes (attachKprobe) or a tracepoint instead");
        }
        try {
            return new Link(what, dev.bpfglobals.runtime.internal.KprobeMulti.attach(fd, functions, retprobe, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL) {
                throw new IllegalArgumentException(what + ": the kernel refused with " + e.errno() + ": a function is "
                        + "missing or not attachable (see available_filter_functions), or the program was not loaded "
                        + "from a kprobe.multi/ or kretprobe.multi/ section", e);
            }
            throw e;
        }
    }

    /**
     * Attaches this KPROBE program to the entry of function {@code function} of the ELF executable
     * or shared library {@code binary} (e.g. {@code /usr/lib/x86_64-linux-gnu/libc.so.6} and
     * {@code getpid}), in every process that runs it: a uprobe, through the kernel's uprobe PMU. The
     * function is found by name in the file's {@code .symtab} or {@code .dynsym}, as libbpf finds it.
     *
     * @throws IllegalArgumentException     where the file lacks the function or the kernel refuses the probe
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    public Link attachUprobe(Path binary, String function) {
        return attachUprobe(binary, function, false);
    }

    /** As {@link #attachUprobe(Path, String)}, on the return of {@code function} (a uretprobe). */
    public Link attachUretprobe(Path binary, String function) {
        return attachUprobe(binary, function, true);
    }

    /**
     * Attaches this KPROBE program at byte {@code fileOffset} of {@code binary} (with
     * {@code retprobe}, on the return of the function starting there): a uprobe by offset, for
     * functions without a symbol.
     *
     * @throws IllegalArgumentException     where the kernel refuses the file or offset
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    public Link attachUprobe(Path binary, long fileOffset, boolean retprobe) {
        String what = (retprobe ? "uretprobe" : "uprobe") + " on " + binary + "+0x" + Long.toHexString(fileOffset);
        return perfEventLink(what, PerfEvents.uprobe(binary, fileOffset, retprobe, what));
    }

    private Link attachUprobe(Path binary, String function, boolean retprobe) {
        String what = (retprobe ? "uretprobe" : "uprobe") + " on " + binary + ":" + function;
        return perfEventLink(what, PerfEvents.uprobe(binary, ElfFunctions.offsetOf(binary, function), retprobe, what));
    }

    /**
     * Attaches this TRACEPOINT program to tracepoint {@code category/name}, e.g.
     * {@code syscalls/sys_enter_getpid} (what follows {@code tp/} or {@code tracepoint/} in a section
     * name), through a perf event with the id tracefs gives it.
     *
     * @throws UnsupportedOperationException where no tracefs is mounted, naming the mount command
     * @throws IllegalArgumentException     where the kernel has no such tracepoint
     */
    public Link attachTracepoint(String category, String name) {
        return perfEventLink("tracepoint " + category + "/" + name, PerfEvents.tracepoint(category, name));
    }

    /**
     * Attaches this TRACING program ({@code tp_btf/}, {@code fentry/}, {@code fexit/},
     * {@code fmod_ret/}) to the kernel function or BTF tracepoint it was verified for at load.
     *
     * @throws BpfException naming the errno: {@code EINVAL} for a program of another type,
     *                      {@code ENOTSUPP} where the kernel has no BPF trampolines
     */
    public Link attachTracing() {
        String what = "tracing program " + info().name();
        try {
            return new Link(what, Links.openTracing(fd, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOTSUPP || e.errno() == Errno.EOPNOTSUPP) {
                throw new UnsupportedOperationException(what + ": the kernel refused with " + e.errno()
                        + ": it cannot attach fentry/fexit/fmod_ret here (no BPF trampolines on this architecture or build); "
                        + "use a kprobe, a tracepoint or tp_btf instead", e);
            }
            throw e;
        }
    }

    /**
     * Attaches this program to the cgroup v2 directory {@code cgroup} at {@code hook} with a BPF
     * link (kernel 5.7+): it then runs for the sockets of every process in that cgroup and its
     * descendants. A CGROUP_SKB program's return of 1 lets a packet through, 0 drops it; a
     * CGROUP_SOCK program's 0 refuses the socket.
     *
     * @throws IllegalArgumentException where {@code cgroup} cannot be opened as a directory
     * @throws BpfException naming the errno: {@code EBADF} where the directory is not a cgroup v2 one,
     *                      {@code EINVAL} where the program was loaded for another hook
     */
    public Link attachCgroup(Path cgroup, CgroupHook hook) {
        String what = "cgroup " + cgroup + " at " + hook;
        try (BpfFd directory = Native.openDirectory(cgroup.toString(), what)) { // the link holds the cgroup itself
            return new Link(what, Links.create(fd, directory, hook.attachType(), what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EBADF) {
                throw new BpfException(e.command(), e.errno(), what, "it is not a cgroup v2 directory (cgroup v1 hierarchies take no "
                        + "BPF programs); use a directory under the cgroup2 mount (see /proc/self/mounts)");
            }
            if (e.errno() == Errno.EINVAL) {
                throw new BpfException(e.command(), e.errno(), what, "the program's type or the hook it was loaded for does not match "
                        + hook + " (cgroup_skb/ingress and /egress are CGROUP_SKB, cgroup/sock_create and /sock_release CGROUP_SOCK)");
            }
            throw e;
        }
    }

    /**
     * Attaches this SCHED_CLS program ({@code tcx/ingress}, {@code tcx/egress}, {@code tc}) to
     * interface {@code interfaceName} through TCX (kernel 6.6+), after the programs already there.
     * The program's return decides the packet: {@code TCX_NEXT} (-1) passes it on, {@code TCX_PASS}
     * (0) accepts it, {@code TCX_DROP} (2) drops it.
     *
     * @throws IllegalArgumentException where there is no such interface
     * @throws UnsupportedOperationException where the kernel has no TCX, naming the way out
     */
    public Link attachTcx(String interfaceName, TcxDirection direction) {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex < 0) {
            throw new IllegalArgumentException("no network interface '" + interfaceName + "' (" + Errno.of(-ifindex) + ")");
        }
        String what = "TCX " + direction + " of " + interfaceName;
        try {
            return new Link(what, Links.createOnInterface(fd, ifindex, direction.attachType(), what));
        } catch (BpfException e) {
            // EINVAL is also the verdict on a wrong program type: "no TCX" only where the kernel lacks the attach type.
            if (e.errno() == Errno.EINVAL && !Links.kernelKnowsTcx(ifindex, direction.attachType())) {
                throw new UnsupportedOperationException(what + ": BPF_LINK_CREATE refused with EINVAL, and this kernel ("
                        + System.getProperty("os.version") + ") does not know the TCX attach types (BPF_PROG_QUERY of them "
                        + "answers EINVAL too): it has no TCX (6.6+); attachTc(\"" + interfaceName + "\", TcxDirection."
                        + direction + ") attaches it as a clsact filter where there is no TCX", e);
            }
            throw e;
        }
    }

    /**
     * Attaches this SCHED_CLS program ({@code tc}, {@code tcx/ingress}, {@code tcx/egress}) to
     * {@code direction} of interface {@code interfaceName} the way the kernel allows: through TCX
     * where it has it (6.6+, as {@link #attachTcx}), else as {@link #attachTcClassic} does, with
     * priority 1 and handle 1. A classic filter runs in direct-action mode, where the program's
     * return is a {@code TC_ACT_*} verdict: {@code TC_ACT_UNSPEC} (-1, the same number as
     * {@code TCX_NEXT}) and {@code TC_ACT_OK} (0) pass the packet, {@code TC_ACT_SHOT} (2) drops it.
     *
     * @throws IllegalArgumentException where there is no such interface or the program is not SCHED_CLS
     * @throws dev.bpfglobals.runtime.kernel.NetlinkException naming the errno where the classic path is
     *         refused: {@code EPERM} without CAP_NET_ADMIN, {@code EEXIST} where a filter is already at
     *         priority 1 handle 1
     */
    public Link attachTc(String interfaceName, TcxDirection direction) {
        return TcAttachments.attach(fd, info(), interfaceName, direction);
    }

    /** As {@link #attachTcClassic(String, TcxDirection, int, int)} with libbpf's defaults, priority 1 and handle 1. */
    public Link attachTcClassic(String interfaceName, TcxDirection direction) {
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
     * @throws IllegalArgumentException where there is no such interface, the program is not SCHED_CLS,
     *                                  or priority or handle are out of range
     * @throws dev.bpfglobals.runtime.kernel.NetlinkException naming the errno and the way out:
     *         {@code EPERM} without CAP_NET_ADMIN, {@code EEXIST} where a filter is already there
     */
    public Link attachTcClassic(String interfaceName, TcxDirection direction, int priority, int handle) {
        return TcAttachments.attachClassic(fd, info(), interfaceName, direction, priority, handle);
    }

    /**
     * Attaches this SOCKET_FILTER program to the socket with file descriptor {@code socketFd}
     * ({@code SO_ATTACH_BPF}): it then sees every packet the socket receives, and its return is
     * how many bytes of it to keep (0 drops it). Closing the link detaches it
     * ({@code SO_DETACH_BPF}); the socket stays the caller's.
     *
     * @throws IllegalArgumentException where the kernel refuses, naming the errno
     */
    public Link attachSocket(int socketFd) {
        String what = "socket fd " + socketFd;
        int attached = Native.setsockopt(socketFd, SOL_SOCKET, SO_ATTACH_BPF, fd);
        if (attached < 0) {
            throw new IllegalArgumentException("setsockopt(SO_ATTACH_BPF) on " + what + " failed with " + Errno.of(-attached)
                    + " (EBADF or ENOTSOCK: not an open socket; EINVAL: the program is not a SOCKET_FILTER)");
        }
        return new Link(what, () -> {
            int detached = Native.setsockopt(socketFd, SOL_SOCKET, SO_DETACH_BPF, 0);
            // ENOENT: the filter is gone already (replaced by the socket's owner); EBADF: the socket was closed.
            if (detached < 0 && detached != -Errno.ENOENT.number() && detached != -Errno.EBADF.number()) {
                throw new IllegalStateException("setsockopt(SO_DETACH_BPF) on " + what + " failed with " + Errno.of(-detached));
            }
        });
    }

    /**
     * Attaches this PERF_EVENT program ({@code perf_event} section) to a software CPU-clock event on
     * every online CPU, sampling each {@code frequencyHz} times a second whatever runs there: one
     * link holds an event and its BPF link per CPU.
     *
     * @throws IllegalArgumentException for a frequency outside 1 to 100000 Hz
     * @throws IllegalStateException naming the errno where the kernel refuses the events
     */
    public Link attachCpuClock(int frequencyHz) {
        if (frequencyHz < 1 || frequencyHz > 100_000) {
            throw new IllegalArgumentException("frequency " + frequencyHz + " Hz: expected 1 to 100000 (the kernel caps it "
                    + "further at kernel.perf_event_max_sample_rate)");
        }
        List<BpfFd> owned = new ArrayList<>();
        try {
            for (int cpu : PossibleCpus.system().ids()) {
                java.util.Optional<BpfFd> event = PerfEvents.cpuClock(cpu, frequencyHz);
                if (event.isEmpty()) {
                    continue; // a possible CPU that is offline
                }
                BpfFd eventFd = event.get();
                owned.add(eventFd);
                String what = "CPU clock at " + frequencyHz + " Hz on CPU " + cpu;
                Links.attachPerfEvent(fd, eventFd, what).ifPresent(link -> owned.add(owned.size() - 1, link));
            }
            return new Link("CPU clock at " + frequencyHz + " Hz", owned.toArray(BpfFd[]::new));
        } catch (RuntimeException e) {
            owned.forEach(BpfFd::close);
            throw e;
        }
    }

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    /** {@code SO_DETACH_BPF}, the same number as {@code SO_DETACH_FILTER}. */
    private static final int SO_DETACH_BPF = 27;

    private Link perfEventLink(String what, BpfFd event) {
        try {
            return Links.attachPerfEvent(fd, event, what).map(link -> new Link(what, link, event))
                    .orElseGet(() -> new Link(what, event));
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    /** What the kernel says about this program: its id, name, size and the BTF it was loaded with. */
    public ProgramInfo info() {
        return Bpf.progInfo(fd);
    }

    /** Closes the program's fd; later calls do nothing. */
    @Override
    public void close() {
        fd.close();
    }
}

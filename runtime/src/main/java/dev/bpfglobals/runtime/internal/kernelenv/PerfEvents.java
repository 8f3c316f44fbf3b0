package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the perf events BPF programs of type KPROBE and TRACEPOINT attach to, as libbpf does:
 * a kprobe through the {@code kprobe} PMU ({@code /sys/bus/event_source/devices/kprobe}, kernel
 * 4.17+), a uprobe through the {@code uprobe} PMU, a tracepoint through {@code PERF_TYPE_TRACEPOINT} and the id tracefs gives it. Every event
 * is opened for all processes ({@code pid -1}) on CPU 0, which is how the kernel wants events that
 * only carry a BPF program: the program then runs on every CPU.
 */
public final class PerfEvents {

    /** {@code PERF_TYPE_TRACEPOINT}. */
    private static final int TYPE_TRACEPOINT = 2;
    /** Bytes of {@code struct perf_event_attr} passed ({@code PERF_ATTR_SIZE_VER5}); the rest of ours is zero. */
    private static final int ATTR_SIZE = 112;
    private static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe");
    private static final Path UPROBE_PMU = Path.of("/sys/bus/event_source/devices/uprobe");
    /** Where tracefs is found: its own mount point, then the older one under debugfs. */
    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private PerfEvents() {
    }

    /**
     * A kprobe (or, with {@code retprobe}, a kretprobe) event on kernel function {@code function}:
     * the event's fd.
     *
     * @throws UnsupportedOperationException when the kernel has no kprobe PMU, naming why and what to use instead
     * @throws IllegalArgumentException     when the kernel refuses the function (not found, not probeable)
     */
    public static BpfFd kprobe(String function, boolean retprobe) {
        String what = (retprobe ? "kretprobe" : "kprobe") + " on '" + function + "'";
        if (!Files.isDirectory(KPROBE_PMU)) {
            throw new UnsupportedOperationException(what + ": this kernel (" + System.getProperty("os.version")
                    + ") has no kprobe PMU (" + KPROBE_PMU + "), so it was built without CONFIG_KPROBES (or is older than"
                    + " 4.17); attach to a tracepoint (tp/...), a BTF tracepoint or fentry/fexit instead");
        }
        int type = Integer.parseInt(read(KPROBE_PMU.resolve("type")).strip());
        long config = 0;
        if (retprobe) {
            config = 1L << formatBit(read(KPROBE_PMU.resolve("format/retprobe")));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, config);
            attr.set(ValueLayout.JAVA_LONG, 56, arena.allocateFrom(function).address()); // config1: kprobe_func
            attr.set(ValueLayout.JAVA_LONG, 64, 0); // config2: offset into the function
            int fd = Native.perfEventOpen(attr, -1, 0);
            if (fd < 0) {
                Errno errno = Errno.of(-fd);
                throw new IllegalArgumentException("perf_event_open of a " + what + " failed with " + errno + switch (errno) {
                    case ENOENT, EINVAL -> ": the kernel has no probeable function of that name (see /proc/kallsyms; "
                            + "syscalls are named like __x64_sys_getpid on x86-64, and inlined or notrace functions cannot be probed)";
                    case EPERM, EACCES -> ": this process lacks CAP_PERFMON (or root)" + Lockdown.confidentialityCause("kprobes");
                    default -> "";
                });
            }
            return BpfFd.adopt(fd, "perf event of " + what);
        }
    }

    /**
     * A uprobe (or, with {@code retprobe}, a uretprobe) event at byte {@code fileOffset} of
     * {@code binary} (an executable or shared library), for every process that maps it, through the
     * kernel's uprobe PMU ({@code /sys/bus/event_source/devices/uprobe}, kernel 4.17+) as libbpf's
     * {@code perf_event_open_probe} opens one: the path in {@code config1}, the offset in {@code config2}.
     *
     * @throws UnsupportedOperationException when the kernel has no uprobe PMU, naming why
     * @throws IllegalArgumentException     when the kernel refuses the file or offset
     */
    public static BpfFd uprobe(java.nio.file.Path binary, long fileOffset, boolean retprobe, String what) {
        return uprobe(binary, fileOffset, 0, -1, retprobe, what);
    }

    /**
     * As {@link #uprobe(Path, long, boolean, String)}, in process {@code pid} alone (-1 for every
     * process), with the USDT semaphore at byte {@code refCtrOffset} of the file (0 for none): the
     * kernel adds one to that counter in every process the probe is in while the probe exists
     * ({@code PERF_UPROBE_REF_CTR_OFFSET}, bits 32 to 63 of {@code config}, kernel 4.20+).
     *
     * @throws UnsupportedOperationException when the kernel has no uprobe PMU, naming why
     * @throws IllegalArgumentException     when the kernel refuses the file, offset, counter or pid
     */
    public static BpfFd uprobe(java.nio.file.Path binary, long fileOffset, long refCtrOffset, int pid, boolean retprobe,
            String what) {
        if (!Files.isDirectory(UPROBE_PMU)) {
            throw new UnsupportedOperationException(what + ": this kernel (" + System.getProperty("os.version")
                    + ") has no uprobe PMU (" + UPROBE_PMU + "), so it was built without CONFIG_UPROBE_EVENTS (or is older than"
                    + " 4.17); trace the process another way (a tracepoint on its system calls)");
        }
        int type = Integer.parseInt(read(UPROBE_PMU.resolve("type")).strip());
        long config = (retprobe ? 1L << formatBit(read(UPROBE_PMU.resolve("format/retprobe"))) : 0) | refCtrOffset << 32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, config);
            attr.set(ValueLayout.JAVA_LONG, 56, arena.allocateFrom(binary.toString()).address()); // config1: uprobe_path
            attr.set(ValueLayout.JAVA_LONG, 64, fileOffset); // config2: probe_offset
            // One process on any CPU, or every process on CPU 0 (the program then runs on every CPU).
            int fd = Native.perfEventOpen(attr, pid, pid < 0 ? 0 : -1);
            if (fd < 0) {
                Errno errno = Errno.of(-fd);
                throw new IllegalArgumentException("perf_event_open of a " + what + " failed with " + errno + switch (errno) {
                    case ENOENT -> ": no such file (the kernel resolves the path when the probe is made)";
                    case EINVAL -> ": the kernel cannot probe that offset of the file (past its end, or not an instruction)"
                            + (refCtrOffset != 0 ? ", or its semaphore offset, or another probe there has another one" : "");
                    case ESRCH -> ": no process " + pid;
                    case EPERM, EACCES -> ": this process lacks CAP_PERFMON (or root)" + Lockdown.confidentialityCause("uprobes");
                    default -> "";
                });
            }
            return BpfFd.adopt(fd, "perf event of " + what);
        }
    }

    /** The bit a PMU format file such as {@code config:0} names. */
    static int formatBit(String format) {
        String text = format.strip();
        int colon = text.indexOf(':');
        if (colon < 0 || !text.startsWith("config")) {
            throw new IllegalStateException("unexpected kprobe or uprobe PMU format '" + text + "' (expected config:N)");
        }
        return Integer.parseInt(text.substring(colon + 1).split("-")[0]);
    }

    /**
     * A tracepoint event for {@code category/name} (e.g. {@code syscalls/sys_enter_getpid}): the
     * event's fd.
     *
     * @throws UnsupportedOperationException when no tracefs is mounted, naming the mount command
     * @throws IllegalArgumentException     when the tracepoint does not exist
     */
    public static BpfFd tracepoint(String category, String name) {
        String what = "tracepoint " + category + "/" + name;
        Path root = TRACEFS.stream().filter(p -> Files.isDirectory(p.resolve("events"))).findFirst()
                .orElseThrow(() -> new UnsupportedOperationException(what + ": no tracefs is mounted (looked in " + TRACEFS
                        + "), and tracepoint ids come from it; mount it: mount -t tracefs tracefs /sys/kernel/tracing"));
        Path id = root.resolve("events").resolve(category).resolve(name).resolve("id");
        if (!Files.isRegularFile(id)) {
            throw new IllegalArgumentException(what + ": the kernel has no such tracepoint (no " + id
                    + "); the kernel's tracepoints are listed in " + root.resolve("available_events"));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, TYPE_TRACEPOINT);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, Long.parseLong(read(id).strip()));
            int fd = Native.perfEventOpen(attr, -1, 0);
            if (fd < 0) {
                Errno errno = Errno.of(-fd);
                throw new IllegalStateException("perf_event_open of " + what + " failed with " + errno
                        + (errno == Errno.EPERM || errno == Errno.EACCES
                        ? ": this process lacks CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it" : ""));
            }
            return BpfFd.adopt(fd, "perf event of " + what);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

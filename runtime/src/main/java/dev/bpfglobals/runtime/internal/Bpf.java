package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) plumbing every command shares, and the commands on any BPF object (pin, get, info,
 * kind) and on a loaded program (test run, info, raw tracepoint); maps, program loading and BTF
 * have their own classes ({@link BpfMaps}, {@link BpfPrograms}, {@link BtfObjects}). Offsets follow
 * {@code union bpf_attr} in include/uapi/linux/bpf.h; the attribute buffer is zeroed before use
 * because the kernel rejects non-zero bytes it does not know.
 * Descriptors go in and out as {@link BpfFd}: each call brackets its use of one with
 * acquire/release, and each creating call returns a new {@code BpfFd} its caller owns.
 */
public final class Bpf {

    /** Larger than every attribute struct used here; the kernel accepts a smaller size than its own. */
    static final int ATTR_SIZE = 128;

    /** BPF_OBJ_GET / *_GET_FD_BY_ID file flags: a kernel-enforced read-only or write-only fd. */
    public static final int F_RDONLY = 1 << 3;
    public static final int F_WRONLY = 1 << 4;

    private Bpf() {
    }

    /** This thread's zeroed attribute buffer: reused, so the hot path allocates nothing. */
    static MemorySegment attr() {
        MemorySegment attr = CallBuffers.current().attr;
        attr.fill((byte) 0);
        return attr;
    }

    static long call(BpfCommand command, MemorySegment attr, String context) {
        long result = Sys.bpf(command.number(), attr, ATTR_SIZE);
        check(command, result, context);
        return result;
    }

    /** Calls {@code call} with {@code fd}'s number, which stays open until it returns. */
    public static <T> T using(BpfFd fd, java.util.function.IntFunction<T> call) {
        int open = fd.acquire();
        try {
            return call.apply(open);
        } finally {
            fd.release();
        }
    }

    /** {@code fd}'s number, held open (and listed in {@code held}, for release) while a call names it; 0 for null. */
    static int acquire(BpfFd fd, java.util.List<BpfFd> held) {
        if (fd == null) {
            return 0;
        }
        int open = fd.acquire();
        held.add(fd);
        return open;
    }

    static void check(BpfCommand command, long result, String context) {
        if (result < 0) {
            throw new BpfException(command, Errno.of((int) -result), context);
        }
    }

    /** A {@code BPF_*_GET_NEXT_ID} command: the next id after {@code start}, or -1 when there is none. */
    static int nextId(BpfCommand command, int start, String context) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, start);
        long result = Sys.bpf(command.number(), attr, ATTR_SIZE);
        if (result == -Errno.ENOENT.number()) {
            return -1;
        }
        check(command, result, context);
        return attr.get(ValueLayout.JAVA_INT, 4);
    }

    /** BPF_OBJ_PIN of {@code fd} at {@code path}. */
    public static void pin(BpfFd fd, String path) {
        using(fd, open -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attr = attr();
                attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(path).address());
                attr.set(ValueLayout.JAVA_INT, 8, open);
                return call(BpfCommand.BPF_OBJ_PIN, attr, path);
            }
        });
    }

    /** BPF_OBJ_GET of the object pinned at {@code path}, with file flags ({@link #F_RDONLY} ...). */
    public static BpfFd objGet(String path, int fileFlags, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(path).address());
            attr.set(ValueLayout.JAVA_INT, 12, fileFlags);
            return BpfFd.adopt((int) call(BpfCommand.BPF_OBJ_GET, attr, path), what);
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD of {@code fd} into {@code info}, which the kernel fills up to its size. */
    static MemorySegment objInfo(BpfFd fd, MemorySegment info) {
        return using(fd, open -> {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_INT, 0, open);
            attr.set(ValueLayout.JAVA_INT, 4, (int) info.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 8, info.address());
            call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, attr, fd.what());
            return info;
        });
    }

    /** The kernel's object name at {@code offset}: BPF_OBJ_NAME_LEN (16) bytes, NUL-terminated unless full. */
    static String objName(MemorySegment info, long offset) {
        return cString(info, offset, 16);
    }

    /** The ASCII string of at most {@code size} bytes at {@code offset}, NUL-terminated unless full. */
    static String cString(MemorySegment segment, long offset, int size) {
        byte[] bytes = segment.asSlice(offset, size).toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a program. */
    public static dev.bpfglobals.runtime.kernel.ProgramInfo progInfo(BpfFd fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = objInfo(fd, arena.allocate(232, 8));
            return new dev.bpfglobals.runtime.kernel.ProgramInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    objName(info, 64), info.get(ValueLayout.JAVA_INT, 20),
                    info.get(ValueLayout.JAVA_INT, 128), info.get(ValueLayout.JAVA_INT, 144),
                    info.get(ValueLayout.JAVA_INT, 148));
        }
    }

    /**
     * The ids of the maps program {@code fd} uses ({@code map_ids} of {@code struct bpf_prog_info}),
     * so that an attach can find the maps of the object it came from without the object.
     */
    public static int[] progMapIds(BpfFd fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = objInfo(fd, arena.allocate(232, 8));
            int count = info.get(ValueLayout.JAVA_INT, 52);
            if (count == 0) {
                return new int[0];
            }
            MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, count);
            MemorySegment again = arena.allocate(232, 8);
            again.set(ValueLayout.JAVA_INT, 52, count); // nr_map_ids
            again.set(ValueLayout.JAVA_LONG, 56, ids.address()); // map_ids
            objInfo(fd, again);
            // The kernel writes at most the count it was given, and says how many the program has.
            int written = Math.min(count, again.get(ValueLayout.JAVA_INT, 52));
            return ids.asSlice(0, (long) written * 4).toArray(ValueLayout.JAVA_INT);
        }
    }

    /** The result of one BPF_PROG_TEST_RUN. */
    public record TestRun(int returnValue, int durationNanos) {
    }

    /** BPF_PROG_TEST_RUN of {@code progFd} on {@code data}, {@code repeat} times, on the calling CPU. */
    public static TestRun testRun(BpfFd program, MemorySegment data, int repeat) {
        return using(program, progFd -> {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 8, (int) data.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 16, data.address());
            attr.set(ValueLayout.JAVA_INT, 32, repeat);
            call(BpfCommand.BPF_PROG_TEST_RUN, attr, program.what());
            return new TestRun(attr.get(ValueLayout.JAVA_INT, 4), attr.get(ValueLayout.JAVA_INT, 36));
        });
    }

    /** BPF_F_TEST_RUN_ON_CPU: run the test on {@code cpu} rather than the calling CPU (raw tracepoints only). */
    public static final int F_TEST_RUN_ON_CPU = 1;

    /**
     * BPF_PROG_TEST_RUN of {@code progFd} once with {@code context} as {@code ctx_in} and no packet,
     * with test-run {@code flags} and {@code cpu}: the way raw tracepoint programs are run, which
     * take neither packet data nor a repeat count.
     */
    public static TestRun testRunContext(BpfFd program, MemorySegment context, int flags, int cpu) {
        return using(program, progFd -> {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 40, (int) context.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 48, context.address());
            attr.set(ValueLayout.JAVA_INT, 64, flags);
            attr.set(ValueLayout.JAVA_INT, 68, cpu);
            call(BpfCommand.BPF_PROG_TEST_RUN, attr, program.what() + " on CPU " + cpu);
            return new TestRun(attr.get(ValueLayout.JAVA_INT, 4), attr.get(ValueLayout.JAVA_INT, 36));
        });
    }

    /**
     * What kind of BPF object {@code fd} is: {@code "map"}, {@code "program"} or {@code "link"},
     * from its anonymous inode's name ({@code anon_inode:bpf-prog}), or the whole link target for
     * anything else. BPF_OBJ_GET hands back whatever is pinned, so a caller that expects a program
     * must look.
     */
    public static String objectKind(BpfFd fd) {
        String target = using(fd, open -> {
            try {
                return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + open)).toString();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read /proc/self/fd/" + open + ": " + e.getMessage(), e);
            }
        });
        return switch (target) {
            case "anon_inode:bpf-map" -> "map";
            case "anon_inode:bpf-prog" -> "program";
            // The kernel named the link inode bpf_link before 6.x and bpf-link since.
            case "anon_inode:bpf_link", "anon_inode:bpf-link" -> "link";
            default -> target;
        };
    }

    /** BPF_PROG_LOAD of a program without BTF: the program's fd ({@link BpfPrograms#load}). */
    public static BpfFd progLoad(int type, long[] instructions, String license, String name) {
        return BpfPrograms.load(type, instructions, license, name);
    }

    /** BPF_PROG_LOAD: the program's fd ({@link BpfPrograms#load(ProgramLoad)}). */
    public static BpfFd progLoad(ProgramLoad request) {
        return BpfPrograms.load(request);
    }

    /** BPF_RAW_TRACEPOINT_OPEN: attaches {@code progFd} to raw tracepoint {@code name}; the link's fd. */
    public static BpfFd rawTracepointOpen(String name, BpfFd program) {
        int link = using(program, progFd -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attr = attr();
                attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(name).address());
                attr.set(ValueLayout.JAVA_INT, 8, progFd);
                return (int) call(BpfCommand.BPF_RAW_TRACEPOINT_OPEN, attr, "raw tracepoint '" + name + "'");
            }
        });
        return BpfFd.adopt(link, "raw tracepoint link " + name);
    }
}

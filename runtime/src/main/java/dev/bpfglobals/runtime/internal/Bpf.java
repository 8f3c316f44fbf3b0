package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.BpfCommand;
import dev.bpfglobals.runtime.BpfException;
import dev.bpfglobals.runtime.Errno;
import dev.bpfglobals.runtime.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Typed bpf(2) commands. Offsets follow {@code union bpf_attr} in include/uapi/linux/bpf.h; the
 * attribute buffer is zeroed before use because the kernel rejects non-zero bytes it does not know.
 */
public final class Bpf {

    /** Larger than every attribute struct used here; the kernel accepts a smaller size than its own. */
    static final int ATTR_SIZE = 128;

    /** BPF_OBJ_GET / *_GET_FD_BY_ID file flags: a kernel-enforced read-only or write-only fd. */
    public static final int F_RDONLY = 1 << 3;
    public static final int F_WRONLY = 1 << 4;
    /** Update flags of per-CPU maps (kernel 6.19+): one CPU (number in the upper 32 bits), or all CPUs from one slot. */
    public static final long F_CPU = 8;
    public static final long F_ALL_CPUS = 16;

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

    /** BPF_MAP_CREATE: the new map's fd. */
    public static int mapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            int btfFd, int btfKeyTypeId, int btfValueTypeId) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, type);
        attr.set(ValueLayout.JAVA_INT, 4, keySize);
        attr.set(ValueLayout.JAVA_INT, 8, valueSize);
        attr.set(ValueLayout.JAVA_INT, 12, maxEntries);
        attr.set(ValueLayout.JAVA_INT, 16, flags);
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, attr, ValueLayout.JAVA_BYTE, 28, Math.min(bytes.length, 15));
        if (btfFd > 0) {
            attr.set(ValueLayout.JAVA_INT, 48, btfFd);
            attr.set(ValueLayout.JAVA_INT, 52, btfKeyTypeId);
            attr.set(ValueLayout.JAVA_INT, 56, btfValueTypeId);
        }
        return (int) call(BpfCommand.BPF_MAP_CREATE, attr, "map '" + name + "', value size " + valueSize);
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}; raw result: 0 or {@code -errno}. */
    public static long lookupRaw(int fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}. */
    public static void lookup(int fd, MemorySegment key, MemorySegment value, long flags) {
        check(BpfCommand.BPF_MAP_LOOKUP_ELEM, lookupRaw(fd, key, value, flags), "map fd " + fd);
    }

    /** BPF_MAP_UPDATE_ELEM; raw result: 0 or {@code -errno}. */
    public static long updateRaw(int fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM. */
    public static void update(int fd, MemorySegment key, MemorySegment value, long flags) {
        check(BpfCommand.BPF_MAP_UPDATE_ELEM, updateRaw(fd, key, value, flags), "map fd " + fd);
    }

    /** The hot path: one thread-local lookup, four stores, no zeroing (see {@link CallBuffers#elemAttr}). */
    private static long elem(BpfCommand command, int fd, MemorySegment key, MemorySegment value, long flags) {
        CallBuffers buffers = CallBuffers.current();
        MemorySegment attr = buffers.elemAttr;
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_LONG, 8, key.address());
        attr.set(ValueLayout.JAVA_LONG, 16, value.address());
        attr.set(ValueLayout.JAVA_LONG, 24, flags);
        return Sys.bpf(buffers.errno, command.number(), attr, CallBuffers.ELEM_ATTR_SIZE);
    }

    private static void check(BpfCommand command, long result, String context) {
        if (result < 0) {
            throw new BpfException(command, Errno.of((int) -result), context);
        }
    }

    /** BPF_OBJ_PIN of {@code fd} at {@code path}. */
    public static void pin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(path).address());
            attr.set(ValueLayout.JAVA_INT, 8, fd);
            call(BpfCommand.BPF_OBJ_PIN, attr, path);
        }
    }

    /** BPF_OBJ_GET of the object pinned at {@code path}, with file flags ({@link #F_RDONLY} ...). */
    public static int objGet(String path, int fileFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(path).address());
            attr.set(ValueLayout.JAVA_INT, 12, fileFlags);
            return (int) call(BpfCommand.BPF_OBJ_GET, attr, path);
        }
    }

    /** BPF_MAP_GET_NEXT_ID: the next map id after {@code start}, or -1 when there is none. */
    public static int nextMapId(int start) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, start);
        long result = Sys.bpf(BpfCommand.BPF_MAP_GET_NEXT_ID.number(), attr, ATTR_SIZE);
        if (result == -Errno.ENOENT.number()) {
            return -1;
        }
        if (result < 0) {
            throw new BpfException(BpfCommand.BPF_MAP_GET_NEXT_ID, Errno.of((int) -result), "after id " + start);
        }
        return attr.get(ValueLayout.JAVA_INT, 4);
    }

    /** BPF_MAP_GET_FD_BY_ID with open flags ({@link #F_RDONLY} ...). */
    public static int mapFdById(int id, int openFlags) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        attr.set(ValueLayout.JAVA_INT, 8, openFlags);
        return (int) call(BpfCommand.BPF_MAP_GET_FD_BY_ID, attr, "map id " + id);
    }

    /** BPF_OBJ_GET_INFO_BY_FD for a map. */
    public static MapInfo mapInfo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = objInfo(fd, arena.allocate(96, 8), "map fd " + fd);
            return new MapInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 12),
                    info.get(ValueLayout.JAVA_INT, 16), info.get(ValueLayout.JAVA_INT, 20),
                    objName(info, 24),
                    info.get(ValueLayout.JAVA_INT, 64), info.get(ValueLayout.JAVA_INT, 72));
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD of {@code fd} into {@code info}, which the kernel fills up to its size. */
    private static MemorySegment objInfo(int fd, MemorySegment info, String context) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_INT, 4, (int) info.byteSize());
        attr.set(ValueLayout.JAVA_LONG, 8, info.address());
        call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, attr, context);
        return info;
    }

    /** The kernel's object name at {@code offset}: BPF_OBJ_NAME_LEN (16) bytes, NUL-terminated unless full. */
    private static String objName(MemorySegment info, long offset) {
        byte[] name = info.asSlice(offset, 16).toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
    }

    /** BPF_OBJ_GET_INFO_BY_FD on a program. */
    public static dev.bpfglobals.runtime.ProgramInfo progInfo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = objInfo(fd, arena.allocate(232, 8), "program fd " + fd);
            return new dev.bpfglobals.runtime.ProgramInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    objName(info, 64), info.get(ValueLayout.JAVA_INT, 20),
                    info.get(ValueLayout.JAVA_INT, 128), info.get(ValueLayout.JAVA_INT, 144),
                    info.get(ValueLayout.JAVA_INT, 148));
        }
    }

    /** The result of one BPF_PROG_TEST_RUN. */
    public record TestRun(int returnValue, int durationNanos) {
    }

    /** BPF_PROG_TEST_RUN of {@code progFd} on {@code data}, {@code repeat} times, on the calling CPU. */
    public static TestRun testRun(int progFd, MemorySegment data, int repeat) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, progFd);
        attr.set(ValueLayout.JAVA_INT, 8, (int) data.byteSize());
        attr.set(ValueLayout.JAVA_LONG, 16, data.address());
        attr.set(ValueLayout.JAVA_INT, 32, repeat);
        call(BpfCommand.BPF_PROG_TEST_RUN, attr, "program fd " + progFd);
        return new TestRun(attr.get(ValueLayout.JAVA_INT, 4), attr.get(ValueLayout.JAVA_INT, 36));
    }

    /** BPF_F_TEST_RUN_ON_CPU: run the test on {@code cpu} rather than the calling CPU (raw tracepoints only). */
    public static final int F_TEST_RUN_ON_CPU = 1;

    /**
     * BPF_PROG_TEST_RUN of {@code progFd} once with {@code context} as {@code ctx_in} and no packet,
     * with test-run {@code flags} and {@code cpu}: the way raw tracepoint programs are run, which
     * take neither packet data nor a repeat count.
     */
    public static TestRun testRunContext(int progFd, MemorySegment context, int flags, int cpu) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, progFd);
        attr.set(ValueLayout.JAVA_INT, 40, (int) context.byteSize());
        attr.set(ValueLayout.JAVA_LONG, 48, context.address());
        attr.set(ValueLayout.JAVA_INT, 64, flags);
        attr.set(ValueLayout.JAVA_INT, 68, cpu);
        call(BpfCommand.BPF_PROG_TEST_RUN, attr, "program fd " + progFd + " on CPU " + cpu);
        return new TestRun(attr.get(ValueLayout.JAVA_INT, 4), attr.get(ValueLayout.JAVA_INT, 36));
    }

    /**
     * What kind of BPF object {@code fd} is: {@code "map"}, {@code "program"} or {@code "link"},
     * from its anonymous inode's name ({@code anon_inode:bpf-prog}), or the whole link target for
     * anything else. BPF_OBJ_GET hands back whatever is pinned, so a caller that expects a program
     * must look.
     */
    public static String objectKind(int fd) {
        String target;
        try {
            target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /proc/self/fd/" + fd + ": " + e.getMessage(), e);
        }
        return switch (target) {
            case "anon_inode:bpf-map" -> "map";
            case "anon_inode:bpf-prog" -> "program";
            case "anon_inode:bpf_link" -> "link";
            default -> target;
        };
    }

    /** BPF_F_MMAPABLE: the map's value can be mmapped (global-data ARRAY maps). */
    public static final int F_MMAPABLE = 1 << 10;

    /** BPF_F_RDONLY_PROG: programs may only read the map ({@code .rodata}); user space still may write until it freezes it. */
    public static final int F_RDONLY_PROG = 1 << 7;

    /** BPF_PROG_LOAD of a program without BTF: the program's fd. */
    public static int progLoad(int type, long[] instructions, String license, String name) {
        return progLoad(new ProgramLoad(type, instructions, license, name, 0, new int[0], new int[0]));
    }

    /**
     * BPF_PROG_LOAD: the program's fd. A refusal carries the verifier log, retried with logging on
     * so that the fast path does not pay for it.
     */
    public static int progLoad(ProgramLoad request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = progLoadAttr(request, arena);
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, ATTR_SIZE);
            if (result >= 0) {
                return (int) result;
            }
            MemorySegment log = arena.allocate(1 << 20);
            attr = progLoadAttr(request, arena);
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long again = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, ATTR_SIZE);
            String verifier = log.getString(0).strip();
            if (again >= 0) {
                close((int) again);
            }
            throw new BpfException(BpfCommand.BPF_PROG_LOAD, Errno.of((int) -result), "program '" + request.name() + "'",
                    "the verifier refused it:\n" + (verifier.isEmpty() ? "(no verifier log)" : verifier));
        }
    }

    private static MemorySegment progLoadAttr(ProgramLoad request, Arena arena) {
        MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_LONG, request.instructions());
        MemorySegment license = arena.allocateFrom(request.license());
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, request.type());
        attr.set(ValueLayout.JAVA_INT, 4, request.instructions().length);
        attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
        attr.set(ValueLayout.JAVA_LONG, 16, license.address());
        byte[] bytes = request.name().getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(bytes.length, 15));
        attr.set(ValueLayout.JAVA_INT, 68, request.expectedAttachType());
        attr.set(ValueLayout.JAVA_INT, 108, request.attachBtfId());
        if (request.btfFd() > 0) {
            attr.set(ValueLayout.JAVA_INT, 72, request.btfFd());
            if (request.funcInfo().length > 0) {
                attr.set(ValueLayout.JAVA_INT, 76, ProgramLoad.FUNC_INFO_SIZE);
                attr.set(ValueLayout.JAVA_LONG, 80, arena.allocateFrom(ValueLayout.JAVA_INT, request.funcInfo()).address());
                attr.set(ValueLayout.JAVA_INT, 88, request.funcInfo().length / 2);
            }
            if (request.lineInfo().length > 0) {
                attr.set(ValueLayout.JAVA_INT, 92, ProgramLoad.LINE_INFO_SIZE);
                attr.set(ValueLayout.JAVA_LONG, 96, arena.allocateFrom(ValueLayout.JAVA_INT, request.lineInfo()).address());
                attr.set(ValueLayout.JAVA_INT, 104, request.lineInfo().length / 4);
            }
        }
        return attr;
    }

    /** BPF_RAW_TRACEPOINT_OPEN: attaches {@code progFd} to raw tracepoint {@code name}; the link's fd. */
    public static int rawTracepointOpen(String name, int progFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_LONG, 0, arena.allocateFrom(name).address());
            attr.set(ValueLayout.JAVA_INT, 8, progFd);
            return (int) call(BpfCommand.BPF_RAW_TRACEPOINT_OPEN, attr, "raw tracepoint '" + name + "'");
        }
    }

    /** BPF_MAP_FREEZE: no more writes from user space (for .rodata). */
    public static void freeze(int fd) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        call(BpfCommand.BPF_MAP_FREEZE, attr, "map fd " + fd);
    }

    /** BPF_BTF_LOAD: the BTF object's fd; a refusal carries the kernel's BTF log. */
    public static int btfLoad(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, btf);
            MemorySegment log = arena.allocate(16 * 1024);
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_LONG, 0, data.address());
            attr.set(ValueLayout.JAVA_LONG, 8, log.address());
            attr.set(ValueLayout.JAVA_INT, 16, btf.length);
            attr.set(ValueLayout.JAVA_INT, 20, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            long result = Sys.bpf(BpfCommand.BPF_BTF_LOAD.number(), attr, ATTR_SIZE);
            if (result < 0) {
                throw new BpfException(BpfCommand.BPF_BTF_LOAD, Errno.of((int) -result),
                        "kernel BTF log: " + log.getString(0).strip());
            }
            return (int) result;
        }
    }

    /** The raw BTF of the kernel BTF object with this id (BPF_BTF_GET_FD_BY_ID, then its info). */
    public static byte[] btfById(int id) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        int fd = (int) call(BpfCommand.BPF_BTF_GET_FD_BY_ID, attr, "BTF id " + id);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(32, 8);
            btfInfo(fd, info);
            int size = info.get(ValueLayout.JAVA_INT, 8);
            MemorySegment data = arena.allocate(Math.max(1, size));
            info.fill((byte) 0);
            info.set(ValueLayout.JAVA_LONG, 0, data.address());
            info.set(ValueLayout.JAVA_INT, 8, size);
            btfInfo(fd, info);
            return data.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        } finally {
            close(fd);
        }
    }

    private static void btfInfo(int fd, MemorySegment info) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_INT, 4, (int) info.byteSize());
        attr.set(ValueLayout.JAVA_LONG, 8, info.address());
        call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, attr, "BTF fd " + fd);
    }

    /** Closes a kernel object's fd; a failure to close is a bug worth seeing, not hiding. */
    public static void close(int fd) {
        int result = Sys.close(fd);
        if (result < 0) {
            throw new IllegalStateException("close(" + fd + ") failed with " + Errno.of(-result));
        }
    }
}

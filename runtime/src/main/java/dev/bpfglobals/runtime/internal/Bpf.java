package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Typed bpf(2) commands. Offsets follow {@code union bpf_attr} in include/uapi/linux/bpf.h; the
 * attribute buffer is zeroed before use because the kernel rejects non-zero bytes it does not know.
 * Descriptors go in and out as {@link BpfFd}: each call brackets its use of one with
 * acquire/release, and each creating call returns a new {@code BpfFd} its caller owns.
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

    /** BPF_MAP_CREATE: the new map, typed by {@code btf} (null for none). */
    public static BpfFd mapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            BpfFd btf, int btfKeyTypeId, int btfValueTypeId) {
        return mapCreate(type, keySize, valueSize, maxEntries, flags, name, btf, btfKeyTypeId, btfValueTypeId, null);
    }

    /**
     * BPF_MAP_CREATE of a map that may hold maps: {@code innerMap} (null for none) is the template
     * whose type, key, value and entry count every map stored in it must share.
     */
    public static BpfFd mapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            BpfFd btf, int btfKeyTypeId, int btfValueTypeId, BpfFd innerMap) {
        java.util.List<BpfFd> held = new java.util.ArrayList<>();
        try {
            int innerFd = acquire(innerMap, held);
            int btfFd = acquire(btf, held);
            return btf == null ? mapCreate(type, keySize, valueSize, maxEntries, flags, name, 0, 0, 0, innerFd)
                    : mapCreate(type, keySize, valueSize, maxEntries, flags, name, btfFd, btfKeyTypeId, btfValueTypeId, innerFd);
        } finally {
            held.forEach(BpfFd::release);
        }
    }

    private static BpfFd mapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            int btfFd, int btfKeyTypeId, int btfValueTypeId, int innerMapFd) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 20, innerMapFd);
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
        return BpfFd.adopt((int) call(BpfCommand.BPF_MAP_CREATE, attr, "map '" + name + "', value size " + valueSize),
                "map '" + name + "'");
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}; raw result: 0 or {@code -errno}. */
    public static long lookupRaw(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}. */
    public static void lookup(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        check(BpfCommand.BPF_MAP_LOOKUP_ELEM, lookupRaw(fd, key, value, flags), fd.what());
    }

    /** BPF_MAP_UPDATE_ELEM; raw result: 0 or {@code -errno}. */
    public static long updateRaw(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM. */
    public static void update(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        check(BpfCommand.BPF_MAP_UPDATE_ELEM, updateRaw(fd, key, value, flags), fd.what());
    }

    /** The hot path: one thread-local lookup, four stores, no zeroing (see {@link CallBuffers#elemAttr}). */
    private static long elem(BpfCommand command, BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        CallBuffers buffers = CallBuffers.current();
        MemorySegment attr = buffers.elemAttr;
        int open = fd.acquire();
        try {
            attr.set(ValueLayout.JAVA_INT, 0, open);
            attr.set(ValueLayout.JAVA_LONG, 8, key.address());
            attr.set(ValueLayout.JAVA_LONG, 16, value.address());
            attr.set(ValueLayout.JAVA_LONG, 24, flags);
            return Sys.bpf(buffers.errno, command.number(), attr, CallBuffers.ELEM_ATTR_SIZE);
        } finally {
            fd.release();
        }
    }

    /** Calls {@code call} with {@code fd}'s number, which stays open until it returns. */
    static <T> T using(BpfFd fd, java.util.function.IntFunction<T> call) {
        int open = fd.acquire();
        try {
            return call.apply(open);
        } finally {
            fd.release();
        }
    }

    private static void check(BpfCommand command, long result, String context) {
        if (result < 0) {
            throw new BpfException(command, Errno.of((int) -result), context);
        }
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
    public static BpfFd mapFdById(int id, int openFlags) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        attr.set(ValueLayout.JAVA_INT, 8, openFlags);
        return BpfFd.adopt((int) call(BpfCommand.BPF_MAP_GET_FD_BY_ID, attr, "map id " + id), "map id " + id);
    }

    /** BPF_OBJ_GET_INFO_BY_FD for a map. */
    public static MapInfo mapInfo(BpfFd fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = objInfo(fd, arena.allocate(96, 8));
            return new MapInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 12),
                    info.get(ValueLayout.JAVA_INT, 16), info.get(ValueLayout.JAVA_INT, 20),
                    objName(info, 24),
                    info.get(ValueLayout.JAVA_INT, 64), info.get(ValueLayout.JAVA_INT, 72));
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
    private static String objName(MemorySegment info, long offset) {
        byte[] name = info.asSlice(offset, 16).toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
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
            case "anon_inode:bpf_link" -> "link";
            default -> target;
        };
    }

    /** BPF_F_MMAPABLE: the map's value can be mmapped (global-data ARRAY maps). */
    public static final int F_MMAPABLE = 1 << 10;

    /** BPF_F_RDONLY_PROG: programs may only read the map ({@code .rodata}); user space still may write until it freezes it. */
    public static final int F_RDONLY_PROG = 1 << 7;

    /** BPF_PROG_LOAD of a program without BTF: the program's fd. */
    public static BpfFd progLoad(int type, long[] instructions, String license, String name) {
        return progLoad(new ProgramLoad(type, instructions, license, name, null, new int[0], new int[0]));
    }

    /** What one BPF_PROG_LOAD with the verifier log on answered: the program (null if refused), the errno, the log. */
    public record LoadAttempt(BpfFd program, Errno errno, String verifierLog) {
    }

    /**
     * One BPF_PROG_LOAD of a program without BTF, with a {@code logSize}-byte verifier log, that
     * reports a refusal rather than throwing it: how a feature probe asks.
     */
    public static LoadAttempt progLoadAttempt(int type, long[] instructions, String license, int logSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_LONG, instructions);
            MemorySegment licence = arena.allocateFrom(license);
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, instructions.length);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, licence.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, ATTR_SIZE);
            String verifier = log.getString(0, StandardCharsets.UTF_8).strip();
            return result >= 0 ? new LoadAttempt(BpfFd.adopt((int) result, "probe program"), null, verifier)
                    : new LoadAttempt(null, Errno.of((int) -result), verifier);
        }
    }

    /**
     * BPF_PROG_LOAD: the program's fd. A refusal carries the verifier log, retried with logging on
     * so that the fast path does not pay for it.
     */
    public static BpfFd progLoad(ProgramLoad request) {
        // Every fd the attributes name stays open until the kernel has taken its own references.
        java.util.List<BpfFd> held = new java.util.ArrayList<>();
        try {
            int btfFd = acquire(request.btf(), held);
            int attachObject = acquire(request.attachBtfObject(), held);
            int[] fdArray = new int[request.fdArray().size()];
            for (int i = 0; i < fdArray.length; i++) {
                fdArray[i] = acquire(request.fdArray().get(i), held);
            }
            return progLoad(request, new LoadFds(btfFd, attachObject, fdArray));
        } finally {
            held.forEach(BpfFd::release);
        }
    }

    /** The fd numbers of one load: the object's BTF, the attach target's module BTF, {@code fd_array}. */
    private record LoadFds(int btf, int attachBtfObject, int[] fdArray) {
    }

    /** {@code fd}'s number, held open (and listed in {@code held}, for release) while a call names it; 0 for null. */
    private static int acquire(BpfFd fd, java.util.List<BpfFd> held) {
        if (fd == null) {
            return 0;
        }
        int open = fd.acquire();
        held.add(fd);
        return open;
    }

    private static BpfFd progLoad(ProgramLoad request, LoadFds fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = progLoadAttr(request, fds, arena);
            long result = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, ATTR_SIZE);
            if (result >= 0) {
                return BpfFd.adopt((int) result, "program '" + request.name() + "'");
            }
            MemorySegment log = arena.allocate(1 << 20);
            attr = progLoadAttr(request, fds, arena);
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long again = Sys.bpf(BpfCommand.BPF_PROG_LOAD.number(), attr, ATTR_SIZE);
            String verifier = log.getString(0).strip();
            if (again >= 0) {
                BpfFd.adopt((int) again, "program '" + request.name() + "'").close();
            }
            throw new BpfException(BpfCommand.BPF_PROG_LOAD, Errno.of((int) -result), "program '" + request.name() + "'",
                    "the verifier refused it:\n" + (verifier.isEmpty() ? "(no verifier log)" : verifier));
        }
    }

    private static MemorySegment progLoadAttr(ProgramLoad request, LoadFds fds, Arena arena) {
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
        attr.set(ValueLayout.JAVA_INT, 112, fds.attachBtfObject()); // attach_btf_obj_fd (0: vmlinux)
        if (fds.fdArray().length > 0) {
            attr.set(ValueLayout.JAVA_LONG, 120, arena.allocateFrom(ValueLayout.JAVA_INT, fds.fdArray()).address());
        }
        int btfFd = fds.btf();
        if (btfFd > 0) {
            attr.set(ValueLayout.JAVA_INT, 72, btfFd);
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

    /** BPF_MAP_FREEZE: no more writes from user space (for .rodata). */
    public static void freeze(BpfFd fd) {
        using(fd, open -> {
            MemorySegment attr = attr();
            attr.set(ValueLayout.JAVA_INT, 0, open);
            return call(BpfCommand.BPF_MAP_FREEZE, attr, fd.what());
        });
    }

    /**
     * BPF_BTF_LOAD: the BTF object's fd; a refusal carries the kernel's BTF log. The first attempt
     * goes without a log, as libbpf's does: with a log level the kernel writes a line for every type
     * it checks, and an object built on vmlinux.h has thousands, so a log buffer too small for them
     * fails the load with ENOSPC even for BTF the kernel accepts. Only a refusal is retried with a log.
     */
    public static BpfFd btfLoad(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, btf);
            long result = btfLoad(data, btf.length, MemorySegment.NULL);
            if (result >= 0) {
                return BpfFd.adopt((int) result, "BTF object");
            }
            // Large enough for every type's line of a big object; the kernel keeps the log's tail where it does not fit.
            MemorySegment log = arena.allocate(BTF_LOG_SIZE);
            long again = btfLoad(data, btf.length, log);
            if (again >= 0) {
                BpfFd.adopt((int) again, "BTF object").close();
            }
            throw new BpfException(BpfCommand.BPF_BTF_LOAD, Errno.of((int) -result),
                    "kernel BTF log: " + log.getString(0).strip());
        }
    }

    private static final int BTF_LOG_SIZE = 16 << 20;

    private static long btfLoad(MemorySegment data, int size, MemorySegment log) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_LONG, 0, data.address());
        attr.set(ValueLayout.JAVA_INT, 16, size);
        if (log.byteSize() > 0) {
            attr.set(ValueLayout.JAVA_LONG, 8, log.address());
            attr.set(ValueLayout.JAVA_INT, 20, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
        }
        return Sys.bpf(BpfCommand.BPF_BTF_LOAD.number(), attr, ATTR_SIZE);
    }

    /** The raw BTF of the kernel BTF object with this id (BPF_BTF_GET_FD_BY_ID, then its info). */
    public static byte[] btfById(int id) {
        MemorySegment attr = attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        try (BpfFd fd = BpfFd.adopt((int) call(BpfCommand.BPF_BTF_GET_FD_BY_ID, attr, "BTF id " + id), "BTF id " + id);
             Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(32, 8);
            btfInfo(fd, info);
            int size = info.get(ValueLayout.JAVA_INT, 8);
            MemorySegment data = arena.allocate(Math.max(1, size));
            info.fill((byte) 0);
            info.set(ValueLayout.JAVA_LONG, 0, data.address());
            info.set(ValueLayout.JAVA_INT, 8, size);
            btfInfo(fd, info);
            return data.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static void btfInfo(BpfFd fd, MemorySegment info) {
        objInfo(fd, info);
    }
}

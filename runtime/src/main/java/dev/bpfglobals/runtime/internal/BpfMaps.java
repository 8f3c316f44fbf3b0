package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bpf(2) commands on maps: create, element lookup and update (the hot path), freeze, the ids
 * of the kernel's maps and their info. Offsets follow {@code union bpf_attr}; the plumbing is
 * {@link Bpf}'s.
 */
public final class BpfMaps {

    /** Update flags of per-CPU maps (kernel 6.19+): one CPU (number in the upper 32 bits), or all CPUs from one slot. */
    public static final long F_CPU = 8;
    public static final long F_ALL_CPUS = 16;

    /** BPF_F_MMAPABLE: the map's value can be mmapped (global-data ARRAY maps). */
    public static final int F_MMAPABLE = 1 << 10;

    /** BPF_F_RDONLY_PROG: programs may only read the map ({@code .rodata}); user space still may write until it freezes it. */
    public static final int F_RDONLY_PROG = 1 << 7;

    private BpfMaps() {
    }

    /** BPF_MAP_CREATE: the new map, typed by {@code btf} (null for none). */
    public static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            BpfFd btf, int btfKeyTypeId, int btfValueTypeId) {
        return create(type, keySize, valueSize, maxEntries, flags, name, btf, btfKeyTypeId, btfValueTypeId, null);
    }

    /**
     * BPF_MAP_CREATE of a map that may hold maps: {@code innerMap} (null for none) is the template
     * whose type, key, value and entry count every map stored in it must share.
     */
    public static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, String name,
            BpfFd btf, int btfKeyTypeId, int btfValueTypeId, BpfFd innerMap) {
        return create(type, keySize, valueSize, maxEntries, flags, 0, name, btf, btfKeyTypeId, btfValueTypeId, innerMap);
    }

    /** BPF_MAP_CREATE as above, with {@code mapExtra} (a bloom filter's hash count; 0 for none). */
    public static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name,
            BpfFd btf, int btfKeyTypeId, int btfValueTypeId, BpfFd innerMap) {
        List<BpfFd> held = new ArrayList<>();
        try {
            int innerFd = Bpf.acquire(innerMap, held);
            int btfFd = Bpf.acquire(btf, held);
            return btf == null ? create(type, keySize, valueSize, maxEntries, flags, mapExtra, name, 0, 0, 0, innerFd)
                    : create(type, keySize, valueSize, maxEntries, flags, mapExtra, name, btfFd, btfKeyTypeId, btfValueTypeId, innerFd);
        } finally {
            held.forEach(BpfFd::release);
        }
    }

    /**
     * BPF_MAP_CREATE without BTF, with {@code flags} (BPF_F_NO_PREALLOC for an LPM trie) and
     * {@code mapExtra} (a bloom filter's hash count).
     */
    public static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name) {
        return create(type, keySize, valueSize, maxEntries, flags, mapExtra, name, 0, 0, 0, 0);
    }

    /** {@code BPF_F_LINK}: a struct_ops map registered through a BPF link rather than by its update. */
    public static final int F_LINK = 1 << 13;
    /** {@code BPF_F_VTYPE_BTF_OBJ_FD}: {@code value_type_btf_obj_fd} names the module BTF of the value type. */
    private static final int F_VTYPE_BTF_OBJ_FD = 1 << 15;

    /**
     * BPF_MAP_CREATE of a {@code BPF_MAP_TYPE_STRUCT_OPS} map (key 4 bytes, one entry), whose value
     * is kernel type {@code valueTypeId} ({@code btf_vmlinux_value_type_id}) of vmlinux, or of the
     * module whose BTF object is {@code moduleBtf} (null for vmlinux); {@code btf} is the object's.
     */
    public static BpfFd createStructOps(String name, int valueSize, int flags, BpfFd btf, int valueTypeId, BpfFd moduleBtf) {
        List<BpfFd> held = new ArrayList<>();
        try {
            int btfFd = Bpf.acquire(btf, held);
            int moduleFd = Bpf.acquire(moduleBtf, held);
            MemorySegment attr = attr(MapType.STRUCT_OPS.kernelValue(), 4, valueSize, 1, flags | (moduleBtf == null ? 0 : F_VTYPE_BTF_OBJ_FD), 0, name,
                    btfFd, 0, 0, 0);
            attr.set(ValueLayout.JAVA_INT, 60, valueTypeId);
            attr.set(ValueLayout.JAVA_INT, 72, moduleFd);
            return call(attr, name, MapType.STRUCT_OPS.kernelValue(), 4, valueSize, flags, 0);
        } finally {
            held.forEach(BpfFd::release);
        }
    }


    /** The one place a map is made: every other creation in the runtime comes here. */
    private static BpfFd create(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name,
            int btfFd, int btfKeyTypeId, int btfValueTypeId, int innerMapFd) {
        MemorySegment attr = attr(type, keySize, valueSize, maxEntries, flags, mapExtra, name, btfFd, btfKeyTypeId,
                btfValueTypeId, innerMapFd);
        return call(attr, name, type, keySize, valueSize, flags, mapExtra);
    }

    private static MemorySegment attr(int type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name,
            int btfFd, int btfKeyTypeId, int btfValueTypeId, int innerMapFd) {
        MemorySegment attr = Bpf.attr();
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
        attr.set(ValueLayout.JAVA_LONG, 64, mapExtra);
        return attr;
    }

    private static BpfFd call(MemorySegment attr, String name, int type, int keySize, int valueSize, int flags, long mapExtra) {
        return BpfFd.adopt((int) Bpf.call(BpfCommand.BPF_MAP_CREATE, attr, "map '" + name + "' of type " + type + ", key size "
                        + keySize + ", value size " + valueSize + ", flags " + flags + (mapExtra == 0 ? "" : ", map_extra " + mapExtra)),
                "map '" + name + "'");
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}; raw result: 0 or {@code -errno}. */
    public static long lookupRaw(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_LOOKUP_ELEM into {@code value}. */
    public static void lookup(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        Bpf.check(BpfCommand.BPF_MAP_LOOKUP_ELEM, lookupRaw(fd, key, value, flags), fd.what());
    }

    /** BPF_MAP_UPDATE_ELEM; raw result: 0 or {@code -errno}. */
    public static long updateRaw(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        return elem(BpfCommand.BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM. */
    public static void update(BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
        Bpf.check(BpfCommand.BPF_MAP_UPDATE_ELEM, updateRaw(fd, key, value, flags), fd.what());
    }

    /**
     * Any element command (lookup, update, delete, next key, lookup-and-delete) on the hot path:
     * one thread-local lookup, four stores, no zeroing, no allocation (see {@link CallBuffers#elemAttr}).
     */
    static long elem(BpfCommand command, BpfFd fd, MemorySegment key, MemorySegment value, long flags) {
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

    /** BPF_MAP_FREEZE: no more writes from user space (for .rodata). */
    public static void freeze(BpfFd fd) {
        Bpf.using(fd, open -> {
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, open);
            return Bpf.call(BpfCommand.BPF_MAP_FREEZE, attr, fd.what());
        });
    }

    /** BPF_MAP_GET_NEXT_ID: the next map id after {@code start}, or -1 when there is none. */
    public static int nextId(int start) {
        return Bpf.nextId(BpfCommand.BPF_MAP_GET_NEXT_ID, start, "after id " + start);
    }

    /** BPF_MAP_GET_FD_BY_ID with open flags ({@link Bpf#F_RDONLY} ...). */
    public static BpfFd fdById(int id, int openFlags) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        attr.set(ValueLayout.JAVA_INT, 8, openFlags);
        return BpfFd.adopt((int) Bpf.call(BpfCommand.BPF_MAP_GET_FD_BY_ID, attr, "map id " + id), "map id " + id);
    }

    /** BPF_OBJ_GET_INFO_BY_FD for a map. */
    public static MapInfo info(BpfFd fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = Bpf.objInfo(fd, arena.allocate(96, 8));
            return new MapInfo(info.get(ValueLayout.JAVA_INT, 4), info.get(ValueLayout.JAVA_INT, 0),
                    info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 12),
                    info.get(ValueLayout.JAVA_INT, 16), info.get(ValueLayout.JAVA_INT, 20),
                    Bpf.objName(info, 24),
                    info.get(ValueLayout.JAVA_INT, 64), info.get(ValueLayout.JAVA_INT, 68),
                    info.get(ValueLayout.JAVA_INT, 72), info.get(ValueLayout.JAVA_LONG, 80));
        }
    }
}

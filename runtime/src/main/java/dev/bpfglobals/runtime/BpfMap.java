package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfValueTypes;
import dev.bpfglobals.runtime.btf.SectionBtfReader;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.internal.MapCommands;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A live BPF map of any type, the owner of its file descriptor: what a {@code MapSpec} becomes when
 * it is loaded, or a map opened by pin, id or name. {@link #close()} closes the descriptor once;
 * every use after that throws {@link IllegalStateException}.
 *
 * <p><b>Who closes what.</b> Whoever opens, creates or {@linkplain #adopt adopts} a {@code BpfMap}
 * owns it and closes it. Methods that return one ({@code LoadedObject.map(name)}, {@link #dup()})
 * return a new owner of a descriptor of its own. A typed view made from a map
 * ({@link PerCpuArrayMap#of}) takes the map over and closes it with itself. {@link #fd()} lends the
 * descriptor: it stays this map's.
 *
 * <p>Reads and writes are safe from many threads, and against a concurrent {@link #close()}: a
 * call in flight finishes before the descriptor is closed.
 *
 * <p>The element, iteration, batch, queue, bloom filter and map-of-maps operations are declared in
 * {@link MapOperations}, which this class implements.
 */
public final class BpfMap implements AutoCloseable, MapOperations {

    private final BpfFd fd;
    private final MapInfo info;
    private final MapAccess access;
    private final MapElements elements = new MapElements(this);

    private BpfMap(BpfFd fd, MapAccess access) {
        this.fd = fd;
        this.access = access;
        try {
            this.info = BpfMaps.info(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Takes ownership of {@code fd}, which must be a map (as a creating call or another library
     * hands it over); the caller must not close it afterwards.
     *
     * @param fd the map's descriptor, from now on this map's
     * @param access the access {@code fd} was opened with
     * @return the map owning {@code fd}
     * @throws BpfException if it is not a BPF map (EINVAL, EBADF); {@code fd} is closed then
     */
    public static BpfMap adopt(BpfFd fd, MapAccess access) {
        return new BpfMap(Objects.requireNonNull(fd, "fd"), Objects.requireNonNull(access, "access"));
    }

    /**
     * As {@link #adopt(BpfFd, MapAccess)} for a descriptor that may read and write.
     *
     * @param fd the map's descriptor, from now on this map's
     * @return the map owning {@code fd}
     */
    public static BpfMap adopt(BpfFd fd) {
        return adopt(fd, MapAccess.READ_WRITE);
    }

    /**
     * Opens the map behind a descriptor the caller keeps owning (e.g. one from another loader), by
     * duplicating it: the caller's descriptor stays open and stays the caller's to close.
     *
     * @param fd an open map descriptor, which stays the caller's
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a new owner of the map, to close
     * @throws IllegalArgumentException if {@code fd} is not open
     */
    public static BpfMap openFd(int fd, MapAccess access) {
        return adopt(BpfFd.duplicateOf(fd, "map fd " + fd), access);
    }

    /**
     * Opens the map pinned at {@code path}; {@link MapAccess#READ_ONLY} gives a kernel-enforced read-only view.
     *
     * @param path the pinned map's path on a bpffs mount
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a new owner of the map, to close
     * @throws IllegalArgumentException if what is pinned there is not a map (a program, a link)
     */
    public static BpfMap openPinned(Path path, MapAccess access) {
        BpfFd fd = Bpf.objGet(path.toString(), access.kernelFlags(), "map " + path);
        String kind = Bpf.objectKind(fd);
        if (!kind.equals("map")) {
            fd.close();
            throw new IllegalArgumentException(path + " is a pinned " + kind + ", not a map");
        }
        return new BpfMap(fd, access);
    }

    /**
     * Opens the map with this kernel id.
     *
     * @param id the map's kernel id, as {@code bpftool map list} shows it
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a new owner of the map, to close
     */
    public static BpfMap openById(int id, MapAccess access) {
        return new BpfMap(BpfMaps.fdById(id, access.kernelFlags()), access);
    }

    /**
     * Opens the one map with this kernel name among all maps loaded in the system.
     *
     * @param name the map's kernel name (at most 15 characters)
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a new owner of the map, to close
     * @throws IllegalArgumentException if none or several maps have that name
     */
    public static BpfMap openByName(String name, MapAccess access) {
        return openById(uniqueId(name, info -> true, "map"), access);
    }

    /**
     * Creates a map without BTF: {@code BPF_MAP_CREATE} of {@code type} with these sizes, and
     * {@code mmapable} for {@code BPF_F_MMAPABLE} (an ARRAY whose values {@link #mmap} can map).
     * Maps of a BPF object are made by its loader, with their BTF; this is for maps of one's own.
     *
     * @param type the map type
     * @param keySize key size in bytes
     * @param valueSize value size in bytes
     * @param maxEntries entry count
     * @param mmapable whether to create it with {@code BPF_F_MMAPABLE}
     * @param name the map's kernel name (at most 15 characters)
     * @return the new map, read-write, to close
     */
    public static BpfMap create(MapType type, int keySize, int valueSize, int maxEntries, boolean mmapable, String name) {
        return adopt(BpfMaps.create(type.kernelValue(), keySize, valueSize, maxEntries, mmapable ? BpfMaps.F_MMAPABLE : 0,
                name, null, 0, 0));
    }

    /**
     * The values of this {@code BPF_F_MMAPABLE} ARRAY mapped into memory, {@code value_size} times
     * {@code max_entries} bytes: reads and writes are plain memory accesses that programs see at once.
     * Read-only for a map opened {@link MapAccess#READ_ONLY}; unmapped when {@code arena} closes.
     *
     * @param arena the arena whose closing unmaps the values
     * @return the mapped values
     * @throws IllegalStateException naming the errno where the kernel refuses (not mmapable, frozen and writable)
     */
    public MemorySegment mmap(Arena arena) {
        boolean writable = access != MapAccess.READ_ONLY;
        long size = (long) info.valueSize() * info.maxEntries();
        int[] error = new int[1];
        MemorySegment view = dev.bpfglobals.runtime.internal.Sys.mmap(fd, size, writable, arena, error)
                .orElseThrow(() -> new IllegalStateException("mmap of map '" + info.name() + "' failed with "
                        + Errno.of(-error[0])));
        return writable ? view : view.asReadOnly();
    }

    /** The id of the one map named {@code name} that {@code kind} accepts, described as {@code what} in errors. */
    static int uniqueId(String name, Predicate<MapInfo> kind, String what) {
        List<Integer> ids = new ArrayList<>();
        for (int id = BpfMaps.nextId(0); id > 0; id = BpfMaps.nextId(id)) {
            BpfFd candidate;
            try {
                candidate = BpfMaps.fdById(id, 0);
            } catch (BpfException e) {
                continue; // the map went away between the two calls
            }
            try (candidate) {
                MapInfo info = BpfMaps.info(candidate);
                if (info.name().equals(name) && kind.test(info)) {
                    ids.add(id);
                }
            }
        }
        if (ids.size() != 1) {
            throw new IllegalArgumentException(ids.isEmpty()
                    ? "no " + what + " named '" + name + "' is loaded"
                    : "several " + what + "s are named '" + name + "' (ids " + ids + "); open one by id or pin path");
        }
        return ids.getFirst();
    }

    /**
     * A second owner of this map, with a descriptor of its own and the same access.
     *
     * @return the new owner, to close independently of this one
     */
    public BpfMap dup() {
        return new BpfMap(fd.dup(), access);
    }

    /** {@return what the kernel reports about this map, read when it was opened: its type, sizes, name and BTF ids} */
    public MapInfo info() {
        return info;
    }

    /** {@return how this map was opened: read-write, or read-only or write-only as the kernel enforces it} */
    public MapAccess access() {
        return access;
    }

    /**
     * This map's descriptor, lent: it stays this map's, which closes it. For interop (handing its
     * number to another library while this map is open) and for loaders that write it into
     * instructions.
     *
     * @return the descriptor, valid until this map is closed
     */
    public BpfFd fd() {
        return fd;
    }

    /**
     * The value under 4-byte {@code key}: {@code value_size} bytes, or for a per-CPU map one
     * {@code round_up(value_size, 8)}-byte slot per possible CPU, in {@link PossibleCpus} order.
     *
     * @param key the key
     * @return the value's bytes, a copy
     * @throws IllegalArgumentException if the map's keys are not 4 bytes
     * @throws BpfException             if the kernel refuses the lookup (ENOENT: no such key)
     */
    public byte[] lookup(int key) {
        if (info.keySize() != 4) {
            throw new IllegalArgumentException("map '" + info.name() + "' has " + info.keySize() + "-byte keys, not 4");
        }
        long size = valueBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(1, size), 8);
            lookup(arena.allocateFrom(ValueLayout.JAVA_INT, key), value);
            return value.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /**
     * BPF_MAP_LOOKUP_ELEM of {@code key} into {@code value}, which must hold {@link #valueBytes()} bytes.
     *
     * @param key the key's bytes, the map's key size
     * @param value where the value goes
     * @throws BpfException if the kernel refuses (ENOENT: no such key; EPERM: a write-only descriptor)
     */
    public void lookup(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        BpfMaps.lookup(fd, key, value, 0);
    }

    /**
     * BPF_MAP_UPDATE_ELEM of {@code key} with {@code value} ({@link #valueBytes()} bytes), creating
     * or replacing it (BPF_ANY).
     *
     * @param key the key's bytes, the map's key size
     * @param value the new value
     * @throws BpfException if the kernel refuses (EPERM: a read-only descriptor or a frozen map)
     */
    public void update(MemorySegment key, MemorySegment value) {
        checkSizes(key, value);
        BpfMaps.update(fd, key, value, 0);
    }

    /**
     * The bytes one value takes in a lookup or update buffer: per-CPU maps hold one 8-byte-aligned slot per possible CPU.
     *
     * @return the size in bytes of a buffer for one value
     */
    public long valueBytes() {
        boolean perCpu = info.type().map(MapType::isPerCpu).orElse(false);
        return perCpu ? PerCpuSnapshot.slotStride(info.valueSize()) * PossibleCpus.system().count() : info.valueSize();
    }

    private void checkSizes(MemorySegment key, MemorySegment value) {
        if (key.byteSize() < info.keySize() || value.byteSize() < valueBytes()) {
            throw new IllegalArgumentException("map '" + info.name() + "' needs a " + info.keySize() + "-byte key and a "
                    + valueBytes() + "-byte value buffer; got " + key.byteSize() + " and " + value.byteSize());
        }
    }

    /** BPF_MAP_LOOKUP_ELEM without checks or allocation, for the typed views' hot paths: 0 or {@code -errno}. */
    long lookupRaw(MemorySegment key, MemorySegment value, long flags) {
        return BpfMaps.lookupRaw(fd, key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM without checks or allocation: 0 or {@code -errno}. */
    long updateRaw(MemorySegment key, MemorySegment value, long flags) {
        return BpfMaps.updateRaw(fd, key, value, flags);
    }

    /**
     * Pins the map at {@code path} on a bpffs mount, so that other processes can open it.
     *
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     */
    public void pin(Path path) {
        Bpf.pin(fd, path.toString());
    }

    /** BPF_MAP_FREEZE: no more writes from user space through any descriptor (what libbpf does to {@code .rodata}). */
    public void freeze() {
        BpfMaps.freeze(fd);
    }

    /**
     * The C type of the map's value, as the BTF the map was created with describes it (for a
     * global-data map, a {@link ValueType.Section} of its variables); empty when the map has no BTF
     * value type.
     *
     * @return the value's C type, or empty
     */
    public Optional<ValueType> valueType() {
        return btfType(info.btfValueTypeId());
    }

    /**
     * The C type of the map's key, as its BTF describes it; empty when the map has no BTF key type
     * (a global-data map, or one made with sizes alone).
     *
     * @return the key's C type, or empty
     */
    public Optional<ValueType> keyType() {
        return btfType(info.btfKeyTypeId());
    }

    private Optional<ValueType> btfType(int typeId) {
        return typeId == 0 ? Optional.empty() : btf().map(btf -> BtfValueTypes.of(btf, typeId));
    }

    /**
     * The layout the map's BTF gives its value (variables with name, offset, size and C type) as a
     * section of this map's type named {@code sectionName}, to compare with a contract; empty when
     * the map has no BTF value type.
     *
     * @param sectionName the section name the layout carries
     * @return the layout, or empty
     */
    public Optional<SectionContract> btfLayout(String sectionName) {
        if (info.btfValueTypeId() == 0 || info.type().isEmpty()) {
            return Optional.empty();
        }
        return btf().map(btf -> SectionBtfReader.valueLayout(btf, info.btfValueTypeId(), sectionName, info.type().orElseThrow()));
    }

    /** The BTF the map was created with (its value type is {@link MapInfo#btfValueTypeId()}), or empty. */
    Optional<Btf> btf() {
        return info.btfId() == 0 ? Optional.empty() : Optional.of(BtfReader.read(BtfObjects.rawById(info.btfId())));
    }

    /**
     * As {@link #create(MapType, int, int, int, boolean, String)} with {@code map_flags} and
     * {@code map_extra} (see docs/map-operations.md).
     *
     * @param type the map type
     * @param keySize key size in bytes (0 for QUEUE, STACK and BLOOM_FILTER)
     * @param valueSize value size in bytes
     * @param maxEntries entry count
     * @param flags the {@code map_flags} bits, e.g. {@code BPF_F_NO_PREALLOC}
     * @param mapExtra the {@code map_extra} field, e.g. a BLOOM_FILTER's hash count
     * @param name the map's kernel name (at most 15 characters)
     * @return the new map, read-write, to close
     */
    public static BpfMap create(MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra, String name) {
        return adopt(BpfMaps.create(type.kernelValue(), keySize, valueSize, maxEntries, flags, mapExtra, name));
    }

    @Override
    public MapElements elements() {
        return elements;
    }

    /** Closes the map's descriptor; later calls do nothing, later uses throw. A call in flight finishes first. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "BpfMap[" + info.typeName() + " '" + info.name() + "', id " + info.id() + "]";
    }
}

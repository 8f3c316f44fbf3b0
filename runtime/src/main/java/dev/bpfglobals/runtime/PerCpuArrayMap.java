package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.btf.SectionBtfReader;
import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.SharedFd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An open {@code BPF_MAP_TYPE_PERCPU_ARRAY} map, owned by this object: {@link #close()} closes its
 * file descriptor exactly once, and every use after that throws {@link IllegalStateException}.
 *
 * <p>Open one that a loaded BPF object made ({@link #openPinned}, {@link #openById},
 * {@link #openByName}), or make a {@code .percpu} map from a contract ({@link #create}).
 */
public final class PerCpuArrayMap implements AutoCloseable {

    /** The name libbpf gives the map of the {@code .percpu} section. */
    public static final String PERCPU_MAP_NAME = ".percpu";

    /** Each use brackets the fd, so close never pulls it from under a syscall in flight. */
    private final SharedFd fd;
    private final java.util.function.Supplier<String> closedMessage;
    private final MapInfo info;
    private final MapAccess access;
    private final MemorySegment initialImage;

    private PerCpuArrayMap(int fd, MapAccess access, MemorySegment initialImage) {
        this.fd = new SharedFd(fd);
        this.access = access;
        this.initialImage = initialImage;
        MapInfo read;
        try {
            read = Bpf.mapInfo(fd);
        } catch (RuntimeException e) {
            Bpf.close(fd);
            throw e;
        }
        if (read.type().orElse(null) != MapType.PERCPU_ARRAY) {
            Bpf.close(fd);
            throw new IllegalArgumentException("map '" + read.name() + "' (id " + read.id() + ") is a "
                    + read.typeName() + ", not a PERCPU_ARRAY");
        }
        this.info = read;
        this.closedMessage = () -> "map '" + read.name() + "' (id " + read.id() + ") is closed";
    }

    /**
     * Creates the map of a per-CPU section as libbpf does (PERCPU_ARRAY, key 4, value = section
     * size, one entry, named {@link MapNames#ofSection}: {@code .percpu} for {@code .percpu}, the
     * section name cut to 15 characters for a custom {@code .percpu.<name>}) and fills every possible
     * CPU's copy with {@code initialImage}: one slot with BPF_F_ALL_CPUS where the kernel has it,
     * else one slot per possible CPU.
     *
     * @param initialImage the section's initial bytes, exactly {@code section.valueSize()} long
     */
    public static PerCpuArrayMap create(SectionContract section, MemorySegment initialImage, BpfFeatures features) {
        Objects.requireNonNull(section, "section");
        checkImageSize(section, initialImage);
        return fill(createWithBtf(section), section, initialImage, features);
    }

    /**
     * As {@link #create(SectionContract, MemorySegment, BpfFeatures)}, but typed by the object's own
     * BTF, loaded by the loader as {@code btfFd}, with a 4-byte integer of it as the key type and the
     * section's DATASEC ({@code datasecTypeId}) as the value type, as libbpf types global-data maps:
     * tools then decode every variable, structs member by member, where the contract's BTF can only
     * name them. For the loader; the fd stays the caller's.
     */
    public static PerCpuArrayMap createTypedByObject(SectionContract section, MemorySegment initialImage,
            BpfFeatures features, int btfFd, int keyTypeId, int datasecTypeId) {
        Objects.requireNonNull(section, "section");
        checkImageSize(section, initialImage);
        int fd = Bpf.mapCreate(MapType.PERCPU_ARRAY.kernelValue(), section.keySize(), section.valueSize(),
                section.maxEntries(), 0, MapNames.ofSection(section.name()), btfFd, keyTypeId, datasecTypeId);
        return fill(fd, section, initialImage, features);
    }

    private static void checkImageSize(SectionContract section, MemorySegment initialImage) {
        if (initialImage.byteSize() != section.valueSize()) {
            throw new IllegalArgumentException("initial image of " + section.name() + " is " + initialImage.byteSize()
                    + " bytes, the section is " + section.valueSize());
        }
    }

    private static PerCpuArrayMap fill(int fd, SectionContract section, MemorySegment initialImage, BpfFeatures features) {
        // The initial image stays readable but never writable after load (the libbpf contract).
        MemorySegment image = Arena.ofAuto().allocate(section.valueSize(), 8).copyFrom(initialImage).asReadOnly();
        PerCpuArrayMap map = new PerCpuArrayMap(fd, MapAccess.READ_WRITE, image);
        try {
            PerCpuWrites.writeAll(map, image, features);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
        return map;
    }

    /**
     * The map, with BTF as libbpf gives global-data maps: the value is the section's DATASEC, so
     * tools such as {@code bpftool map dump} print each variable by name.
     */
    private static int createWithBtf(SectionContract section) {
        SectionBtfWriter.Encoded btf = SectionBtfWriter.encode(section);
        int btfFd = Bpf.btfLoad(btf.bytes());
        try {
            return Bpf.mapCreate(MapType.PERCPU_ARRAY.kernelValue(), section.keySize(), section.valueSize(),
                    section.maxEntries(), 0, MapNames.ofSection(section.name()), btfFd, btf.keyTypeId(), btf.datasecId());
        } finally {
            Bpf.close(btfFd); // the map holds its own reference to the BTF
        }
    }

    /**
     * Opens the map behind a file descriptor the caller owns (e.g. from another loader), by
     * duplicating it: the caller's descriptor stays open and stays the caller's to close.
     */
    public static PerCpuArrayMap openFd(int fd) {
        // The map owns its fd (see SharedFd), so it takes the raw duplicate.
        int duplicate = dev.bpfglobals.runtime.internal.Sys.dup(fd);
        if (duplicate < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " cannot be duplicated: " + Errno.of(-duplicate));
        }
        return new PerCpuArrayMap(duplicate, MapAccess.READ_WRITE, null);
    }

    /** Opens the map pinned at {@code path}; {@link MapAccess#READ_ONLY} gives a kernel-enforced read-only view. */
    public static PerCpuArrayMap openPinned(Path path, MapAccess access) {
        return new PerCpuArrayMap(Bpf.objGet(path.toString(), access.kernelFlags()), access, null);
    }

    /** Opens the map with this kernel id. */
    public static PerCpuArrayMap openById(int id, MapAccess access) {
        return new PerCpuArrayMap(Bpf.mapFdById(id, access.kernelFlags()), access, null);
    }

    /**
     * Opens the one PERCPU_ARRAY map with this kernel name among all maps loaded in the system.
     *
     * @throws IllegalArgumentException if none or several maps have that name
     */
    public static PerCpuArrayMap openByName(String name, MapAccess access) {
        List<Integer> ids = new ArrayList<>();
        for (int id = Bpf.nextMapId(0); id > 0; id = Bpf.nextMapId(id)) {
            int candidate;
            try {
                candidate = Bpf.mapFdById(id, 0);
            } catch (BpfException e) {
                continue; // the map went away between the two calls
            }
            try {
                MapInfo info = Bpf.mapInfo(candidate);
                if (info.name().equals(name) && info.type().orElse(null) == MapType.PERCPU_ARRAY) {
                    ids.add(id);
                }
            } finally {
                Bpf.close(candidate);
            }
        }
        if (ids.size() != 1) {
            throw new IllegalArgumentException(ids.isEmpty()
                    ? "no PERCPU_ARRAY map named '" + name + "' is loaded"
                    : "several PERCPU_ARRAY maps are named '" + name + "' (ids " + ids + "); open one by id or pin path");
        }
        return openById(ids.getFirst(), access);
    }

    /** What the kernel reports about this map, read when it was opened. */
    public MapInfo info() {
        return info;
    }

    /** How this map was opened. */
    public MapAccess access() {
        return access;
    }

    /** The initial image this map was created with, read-only; empty for maps opened from the kernel. */
    public Optional<MemorySegment> initialImage() {
        return Optional.ofNullable(initialImage);
    }

    /**
     * The layout the map's BTF gives its value (variables with name, offset, size), or empty when
     * the map carries no BTF value type. Its name is the value's DATASEC name, the full section name
     * the kernel's 15-character map name may have cut ({@code .percpu.extra_counters}), else
     * {@code .percpu}.
     */
    public Optional<SectionContract> btfLayout() {
        if (info.btfId() == 0 || info.btfValueTypeId() == 0) {
            return Optional.empty();
        }
        dev.bpfglobals.runtime.btf.Btf btf = dev.bpfglobals.runtime.btf.BtfReader.read(Bpf.btfById(info.btfId()));
        String section = btf.type(btf.resolve(info.btfValueTypeId())) instanceof dev.bpfglobals.runtime.btf.BtfType.Datasec d
                && !d.name().isEmpty() ? d.name() : PERCPU_MAP_NAME;
        return Optional.of(SectionBtfReader.valueLayout(btf, info.btfValueTypeId(), section, MapType.PERCPU_ARRAY));
    }

    /** Pins the map at {@code path} on a bpffs mount. */
    public void pin(Path path) {
        withFd(fd -> {
            Bpf.pin(fd, path.toString());
            return null;
        });
    }

    /**
     * The raw fd, for the loader to put into a program's instructions while it holds this map open.
     * Not for general use: the fd is only valid until {@link #close()}.
     */
    public int withFdForLoader() {
        return withFd(fd -> fd);
    }

    /**
     * Reads key 0 of every possible CPU into {@code buffer} (one {@code round_up(value_size, 8)} slot
     * per possible CPU), for tools that read a map without a record to decode it.
     */
    public void lookupAll(MemorySegment buffer) {
        long needed = PerCpuSnapshot.slotStride(info.valueSize()) * PossibleCpus.system().count();
        if (buffer.byteSize() < needed) {
            throw new IllegalArgumentException("buffer of " + buffer.byteSize() + " bytes; this map needs " + needed);
        }
        try (Arena arena = Arena.ofConfined()) {
            PerCpuWrites.check(this, lookupRaw(arena.allocate(4), buffer, 0), BpfCommand.BPF_MAP_LOOKUP_ELEM);
        }
    }

    /**
     * Reads CPU {@code cpu}'s copy of key 0 into {@code value} (at least {@code value_size} bytes):
     * one value with {@code BPF_F_CPU} where {@code features} say the kernel has it (as mainline's
     * selftests read each CPU), else that CPU's slot of a full read of every CPU.
     *
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU or {@code value} is too small
     */
    public void lookupCpu(int cpu, MemorySegment value, BpfFeatures features) {
        PossibleCpus cpus = PossibleCpus.system();
        int slot = cpus.slotOf(cpu);
        if (value.byteSize() < info.valueSize()) {
            throw new IllegalArgumentException("buffer of " + value.byteSize() + " bytes; this map's value is " + info.valueSize());
        }
        if (features.cpuFlag()) {
            PerCpuWrites.check(this, lookupRaw(PerCpuWrites.ZERO_KEY, value, Bpf.F_CPU | ((long) cpu << 32)),
                    BpfCommand.BPF_MAP_LOOKUP_ELEM);
            return;
        }
        long stride = PerCpuSnapshot.slotStride(info.valueSize());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(stride * cpus.count(), 8);
            lookupAll(all);
            MemorySegment.copy(all, slot * stride, value, 0, info.valueSize());
        }
    }

    /** BPF_MAP_LOOKUP_ELEM through this map's fd without allocating: 0 or {@code -errno}. */
    long lookupRaw(MemorySegment key, MemorySegment value, long flags) {
        int open = fd.acquire(closedMessage);
        try {
            return Bpf.lookupRaw(open, key, value, flags);
        } finally {
            fd.release();
        }
    }

    /** BPF_MAP_UPDATE_ELEM through this map's fd: 0 or {@code -errno}. */
    long updateRaw(MemorySegment key, MemorySegment value, long flags) {
        int open = fd.acquire(closedMessage);
        try {
            return Bpf.updateRaw(open, key, value, flags);
        } finally {
            fd.release();
        }
    }

    /** Runs {@code action} with the open fd, which stays open until it returns. */
    <T> T withFd(java.util.function.IntFunction<T> action) {
        int open = fd.acquire(closedMessage);
        try {
            return action.apply(open);
        } finally {
            fd.release();
        }
    }

    /**
     * Closes the map's fd; later calls do nothing, and later uses throw. A read or write already in
     * flight on another thread finishes first: the fd is closed when it returns.
     */
    @Override
    public void close() {
        fd.close();
    }
}

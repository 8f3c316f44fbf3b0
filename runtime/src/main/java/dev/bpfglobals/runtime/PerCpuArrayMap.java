package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.SectionBtfReader;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.loader.ObjectMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of a live {@code BPF_MAP_TYPE_PERCPU_ARRAY} {@link BpfMap}: per-CPU reads of key 0
 * and the initial image it was made from. The view owns its map: {@link #close()} closes it, once,
 * and every use after that throws {@link IllegalStateException}. There is no second descriptor:
 * {@link #map()} lends the view's own.
 *
 * <p>Open one that a loaded BPF object made ({@link #openPinned}, {@link #openById},
 * {@link #openByName}), view a map you hold ({@link #of}), or make a {@code .percpu} map from a
 * contract ({@link #create}).
 */
public final class PerCpuArrayMap implements AutoCloseable {

    /** The name libbpf gives the map of the {@code .percpu} section. */
    public static final String PERCPU_MAP_NAME = SectionContract.PERCPU;

    private final BpfMap map;
    private final MemorySegment initialImage;

    private PerCpuArrayMap(BpfMap map, MemorySegment initialImage) {
        MapInfo read = map.info();
        if (read.type().orElse(null) != MapType.PERCPU_ARRAY) {
            map.close();
            throw new IllegalArgumentException("map '" + read.name() + "' (id " + read.id() + ") is a "
                    + read.typeName() + ", not a PERCPU_ARRAY");
        }
        this.map = map;
        this.initialImage = initialImage;
    }

    /**
     * A view of {@code map}, which it takes over: closing the view closes the map.
     *
     * @param map an open PERCPU_ARRAY map, from now on the view's
     * @return the view, owning {@code map}
     * @throws IllegalArgumentException if {@code map} is not a PERCPU_ARRAY (it is closed then)
     */
    public static PerCpuArrayMap of(BpfMap map) {
        return new PerCpuArrayMap(Objects.requireNonNull(map, "map"), null);
    }

    /**
     * Creates the map of a per-CPU section as libbpf does (PERCPU_ARRAY, key 4, value = section
     * size, one entry, named {@link MapNames#ofSection}: {@code .percpu} for {@code .percpu}, the
     * section name cut to 15 characters for a custom {@code .percpu.<name>}) and fills every possible
     * CPU's copy with {@code initialImage}: one slot with BPF_F_ALL_CPUS where the kernel has it,
     * else one slot per possible CPU.
     *
     * @param initialImage the section's initial bytes, exactly {@code section.valueSize()} long
     * @param section the per-CPU section's contract (the generated one), which gives the map's shape and BTF
     * @param features what the kernel can do, to choose how every CPU's copy is filled
     * @return the new map's view, owning it
     */
    public static PerCpuArrayMap create(SectionContract section, MemorySegment initialImage, BpfFeatures features) {
        Objects.requireNonNull(section, "section");
        checkImageSize(section, initialImage);
        return populate(BpfMap.adopt(ObjectMaps.percpuWithLayoutBtf(section)), section, initialImage, features);
    }

    /**
     * Takes over {@code map}, a PERCPU_ARRAY just made for {@code section} (by a loader that types
     * it with an object's own BTF, say), and fills every possible CPU's copy with
     * {@code initialImage}, as {@link #create} does. On failure the map is closed.
     *
     * @param initialImage the section's initial bytes, exactly {@code section.valueSize()} long
     * @param map the new PERCPU_ARRAY, from now on the view's
     * @param section the per-CPU section's contract, which gives the value size
     * @param features what the kernel can do, to choose how every CPU's copy is filled
     * @return the view, owning {@code map}
     */
    static PerCpuArrayMap populate(BpfMap map, SectionContract section, MemorySegment initialImage,
            BpfFeatures features) {
        Objects.requireNonNull(map, "map");
        try {
            checkImageSize(section, initialImage);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
        // The initial image stays readable but never writable after load (the libbpf contract).
        MemorySegment image = Arena.ofAuto().allocate(section.valueSize(), 8).copyFrom(initialImage).asReadOnly();
        PerCpuArrayMap view = new PerCpuArrayMap(map, image);
        try {
            PerCpuWrites.writeAll(view, image, features);
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
        return view;
    }

    /** Takes over {@code map}, which a light load already filled with {@code image} on every CPU. */
    static PerCpuArrayMap filled(BpfMap map, SectionContract section, byte[] image) {
        MemorySegment initial = MemorySegment.ofArray(image);
        checkImageSize(section, initial);
        return new PerCpuArrayMap(map, Arena.ofAuto().allocate(section.valueSize(), 8).copyFrom(initial).asReadOnly());
    }

    private static void checkImageSize(SectionContract section, MemorySegment initialImage) {
        if (initialImage.byteSize() != section.valueSize()) {
            throw new IllegalArgumentException("initial image of " + section.name() + " is " + initialImage.byteSize()
                    + " bytes, the section is " + section.valueSize());
        }
    }

    /**
     * Opens the map behind a file descriptor the caller owns (e.g. from another loader), by
     * duplicating it: the caller's descriptor stays open and stays the caller's to close.
     *
     * @param fd an open PERCPU_ARRAY map descriptor, which stays the caller's
     * @return a view with a descriptor of its own, to close
     */
    public static PerCpuArrayMap openFd(int fd) {
        return of(BpfMap.openFd(fd, MapAccess.READ_WRITE));
    }

    /**
     * Opens the map pinned at {@code path}; {@link MapAccess#READ_ONLY} gives a kernel-enforced read-only view.
     *
     * @param path the pinned map's path on a bpffs mount
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a view with a descriptor of its own, to close
     */
    public static PerCpuArrayMap openPinned(Path path, MapAccess access) {
        return of(BpfMap.openPinned(path, access));
    }

    /**
     * Opens the map with this kernel id.
     *
     * @param id the map's kernel id, as {@code bpftool map list} shows it
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a view with a descriptor of its own, to close
     */
    public static PerCpuArrayMap openById(int id, MapAccess access) {
        return of(BpfMap.openById(id, access));
    }

    /**
     * Opens the one PERCPU_ARRAY map with this kernel name among all maps loaded in the system.
     *
     * @param name the map's kernel name (at most 15 characters, e.g. {@code .percpu})
     * @param access read-write, or read-only or write-only as the kernel enforces it
     * @return a view with a descriptor of its own, to close
     * @throws IllegalArgumentException if none or several maps have that name
     */
    public static PerCpuArrayMap openByName(String name, MapAccess access) {
        return openById(BpfMap.uniqueId(name, info -> info.type().orElse(null) == MapType.PERCPU_ARRAY,
                "PERCPU_ARRAY map"), access);
    }

    /**
     * A second view with a descriptor of its own (a {@link BpfMap#dup()}) and the same initial image.
     *
     * @return the second view, to close independently of this one
     */
    public PerCpuArrayMap dup() {
        return new PerCpuArrayMap(map.dup(), initialImage);
    }

    /**
     * The map this view reads, lent: it stays the view's, which closes it.
     *
     * @return the map, valid until this view is closed
     */
    public BpfMap map() {
        return map;
    }

    /**
     * What the kernel reports about this map, read when it was opened.
     *
     * @return the map's type, sizes, name and BTF ids
     */
    public MapInfo info() {
        return map.info();
    }

    /**
     * How this map was opened.
     *
     * @return read-write, or read-only as the kernel enforces it
     */
    public MapAccess access() {
        return map.access();
    }

    /**
     * The initial image this map was created with, read-only; empty for maps opened from the kernel.
     *
     * @return the image every CPU's copy started from
     */
    public Optional<MemorySegment> initialImage() {
        return Optional.ofNullable(initialImage);
    }

    /**
     * The layout the map's BTF gives its value (variables with name, offset, size), or empty when
     * the map carries no BTF value type. Its name is the value's DATASEC name, the full section name
     * the kernel's 15-character map name may have cut ({@code .percpu.extra_counters}), else
     * {@code .percpu}.
     *
     * @return the value's layout by BTF, to check a record's contract against
     */
    public Optional<SectionContract> btfLayout() {
        MapInfo info = map.info();
        if (info.btfValueTypeId() == 0) {
            return Optional.empty();
        }
        return map.btf().map(btf -> {
            String section = btf.type(btf.resolve(info.btfValueTypeId())) instanceof BtfType.Datasec d
                    && !d.name().isEmpty() ? d.name() : PERCPU_MAP_NAME;
            return SectionBtfReader.valueLayout(btf, info.btfValueTypeId(), section, MapType.PERCPU_ARRAY);
        });
    }

    /**
     * Pins the map at {@code path} on a bpffs mount.
     *
     * @param path where to pin, on a bpffs mount; nothing may be pinned there yet
     */
    public void pin(Path path) {
        map.pin(path);
    }

    /**
     * Reads key 0 of every possible CPU into {@code buffer} (one {@code round_up(value_size, 8)} slot
     * per possible CPU), for tools that read a map without a record to decode it.
     *
     * @param buffer where the values go, at least {@code round_up(value_size, 8)} times the possible CPU count bytes
     */
    public void lookupAll(MemorySegment buffer) {
        MapInfo info = map.info();
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
     * @param cpu a possible CPU
     * @param value where the CPU's copy goes
     * @param features what the kernel can do, to choose between one read and a full read
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU or {@code value} is too small
     */
    public void lookupCpu(int cpu, MemorySegment value, BpfFeatures features) {
        MapInfo info = map.info();
        PossibleCpus cpus = PossibleCpus.system();
        int slot = cpus.slotOf(cpu);
        if (value.byteSize() < info.valueSize()) {
            throw new IllegalArgumentException("buffer of " + value.byteSize() + " bytes; this map's value is " + info.valueSize());
        }
        if (features.cpuFlag()) {
            PerCpuWrites.check(this, lookupRaw(PerCpuWrites.ZERO_KEY, value, BpfMaps.F_CPU | ((long) cpu << 32)),
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
        return map.lookupRaw(key, value, flags);
    }

    /** BPF_MAP_UPDATE_ELEM through this map's fd: 0 or {@code -errno}. */
    long updateRaw(MemorySegment key, MemorySegment value, long flags) {
        return map.updateRaw(key, value, flags);
    }

    /**
     * Closes the view and its map; later calls do nothing, and later uses throw. A read or write
     * already in flight on another thread finishes first: the fd is closed when it returns.
     */
    @Override
    public void close() {
        map.close();
    }
}

package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.LayoutDifference;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A record's per-CPU globals bound to a live {@code PERCPU_ARRAY} map, with typed reads, sums and
 * writes of key 0 (the whole section). Owns the map it was bound to: {@link #close()} closes it, and
 * {@link #map()} only lends it. To keep a map of one's own open past the binding, bind a
 * {@link PerCpuArrayMap#dup()}; {@code LoadedObject.percpuMap()} already hands out a new owner.
 *
 * <p>Reads are safe from many threads at once; each thread should read into its own
 * {@link PerCpuSnapshot}, which makes a read one syscall and no allocation.
 *
 * @param <R> the record one CPU's copy decodes to
 */
public final class PerCpuGlobals<R extends Record> implements AutoCloseable {

    private final PerCpuArrayMap map;
    private final SectionCodec<R> codec;
    private final BpfFeatures features;
    private final PossibleCpus cpus;
    /** A buffer per thread for reads that return a decoded value, so they do not allocate one per call. */
    private final ThreadLocal<PerCpuSnapshot<R>> scratch = ThreadLocal.withInitial(this::newSnapshot);
    /** Per-thread scratch for writes, so that a write allocates nothing. */
    private final ThreadLocal<WriteScratch> writeScratch;

    /**
     * One slot per possible CPU; a view of the first slot, which writeAll encodes into directly
     * and then copies to the others; and the encoded value of a one-CPU write, which must read
     * every slot before it can place its value.
     */
    private record WriteScratch(MemorySegment slots, MemorySegment firstSlot, MemorySegment encoded) {
        static WriteScratch allocate(int valueSize) {
            Arena arena = Arena.ofAuto();
            MemorySegment slots = PerCpuWrites.slotsBuffer(arena, valueSize);
            return new WriteScratch(slots, slots.asSlice(0, valueSize), arena.allocate(valueSize, 8));
        }
    }

    private PerCpuGlobals(PerCpuArrayMap map, SectionCodec<R> codec, BpfFeatures features) {
        this.map = map;
        this.codec = codec;
        this.features = features;
        this.cpus = PossibleCpus.system();
        int valueSize = codec.section().valueSize();
        this.writeScratch = ThreadLocal.withInitial(() -> WriteScratch.allocate(valueSize));
    }

    /**
     * Checks {@code map} against the codec's contract and binds it, with this kernel's probed
     * features. A binding takes {@code map} over and closes it; when the check fails, {@code map}
     * stays the caller's, untouched.
     *
     * @param <R> the record one CPU's copy decodes to
     * @param map the map to bind, taken over once the check passes
     * @param codec the record's codec (the generated {@code <Record>Globals} holds one)
     * @return the binding, owning {@code map}
     * @throws ContractMismatchException naming every difference, before anything is read or written
     */
    public static <R extends Record> PerCpuGlobals<R> bind(PerCpuArrayMap map, SectionCodec<R> codec) {
        return bind(map, codec, BpfFeatures.probe());
    }

    /**
     * Checks {@code map} against the codec's contract and binds it, using only {@code features}
     * (pass {@link BpfFeatures#withoutPerCpuFlags()} to force the fallback paths). A binding takes
     * {@code map} over and closes it; when the check fails, {@code map} stays the caller's, untouched.
     *
     * @param <R> the record one CPU's copy decodes to
     * @param map the map to bind, taken over once the check passes
     * @param codec the record's codec (the generated {@code <Record>Globals} holds one)
     * @param features the kernel features to rely on
     * @return the binding, owning {@code map}
     * @throws ContractMismatchException naming every difference, before anything is read or written
     */
    public static <R extends Record> PerCpuGlobals<R> bind(PerCpuArrayMap map, SectionCodec<R> codec, BpfFeatures features) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(codec, "codec");
        SectionContract section = codec.section();
        MapInfo info = map.info();
        // Where the map's BTF says what its bytes mean, the names and offsets must agree too.
        List<LayoutDifference> differences = LayoutComparison.compareMap(section, info.kernelType(), info.keySize(),
                info.valueSize(), info.maxEntries(), map::btfLayout);
        if (!differences.isEmpty()) {
            throw new ContractMismatchException("map '" + info.name() + "' (id " + info.id() + ")",
                    codec.recordName(), differences);
        }
        return new PerCpuGlobals<>(map, codec, features);
    }

    /**
     * The bound map, lent: it stays this binding's, which closes it.
     *
     * @return the map, valid until this binding is closed
     */
    public PerCpuArrayMap map() {
        return map;
    }

    /**
     * The features this binding uses.
     *
     * @return the features reads and writes rely on
     */
    public BpfFeatures features() {
        return features;
    }

    /**
     * A new buffer for {@link #readAll(PerCpuSnapshot)}, one per reading thread.
     *
     * @return a zero-filled snapshot for this binding's record and the system's possible CPUs
     */
    public PerCpuSnapshot<R> newSnapshot() {
        return PerCpuSnapshot.allocate(codec, cpus);
    }

    /**
     * Reads every CPU's copy into {@code snapshot}: one syscall, no allocation.
     *
     * @param snapshot a snapshot from this binding's {@link #newSnapshot()}
     */
    public void readAll(PerCpuSnapshot<R> snapshot) {
        checkOwn(snapshot);
        long result = map.lookupRaw(PerCpuWrites.ZERO_KEY, snapshot.segment(), 0);
        if (result < 0) {
            PerCpuWrites.check(map, result, BpfCommand.BPF_MAP_LOOKUP_ELEM);
        }
    }

    /**
     * Reads {@code cpu}'s copy into its slot of {@code snapshot}, no allocation: one value with
     * BPF_F_CPU where the kernel has it, which leaves the other slots as they were; else a full read
     * (as {@link #readAll(PerCpuSnapshot)}), which refreshes every slot. Read the value in place with
     * the generated per-field accessors or {@link PerCpuSnapshot#slot}.
     *
     * @param cpu a possible CPU
     * @param snapshot a snapshot from this binding's {@link #newSnapshot()}
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU or the snapshot is another record's
     */
    public void readCpu(int cpu, PerCpuSnapshot<R> snapshot) {
        checkOwn(snapshot);
        MemorySegment slot = snapshot.slot(cpu);
        if (!features.cpuFlag()) {
            readAll(snapshot);
            return;
        }
        long result = map.lookupRaw(PerCpuWrites.ZERO_KEY, slot, BpfMaps.F_CPU | ((long) cpu << 32));
        if (result < 0) {
            PerCpuWrites.check(map, result, BpfCommand.BPF_MAP_LOOKUP_ELEM);
        }
    }

    private void checkOwn(PerCpuSnapshot<R> snapshot) {
        if (snapshot.codec() != codec) {
            throw new IllegalArgumentException("snapshot was made for " + snapshot.codec().recordType().getName()
                    + ", not for this binding's " + codec.recordType().getName());
        }
    }

    /**
     * Reads every CPU's copy into a new snapshot.
     *
     * @return the new snapshot, holding every CPU's copy
     */
    public PerCpuSnapshot<R> readAll() {
        PerCpuSnapshot<R> snapshot = newSnapshot();
        readAll(snapshot);
        return snapshot;
    }

    /**
     * {@code cpu}'s copy: one value with BPF_F_CPU where the kernel has it, else from a full read.
     * Decodes a new record each call; {@link #readCpu(int, PerCpuSnapshot)} reads without allocating.
     *
     * @param cpu a possible CPU
     * @return that CPU's copy, decoded
     */
    public R read(int cpu) {
        cpus.slotOf(cpu);
        if (!features.cpuFlag()) {
            PerCpuSnapshot<R> all = scratch.get();
            readAll(all);
            return all.get(cpu);
        }
        MemorySegment slot = writeScratch.get().firstSlot();
        map.lookupCpu(cpu, slot, features);
        return codec.decode(slot);
    }

    /**
     * The sum over all CPUs, by the rules of {@link SectionCodec#sum}.
     *
     * @return a record holding the sums
     */
    public R sum() {
        PerCpuSnapshot<R> all = scratch.get();
        readAll(all);
        return all.sum();
    }

    /**
     * Writes {@code value} to every possible CPU's copy.
     *
     * @param value what every CPU's copy becomes
     */
    public void writeAll(R value) {
        WriteScratch scratch = writeScratch.get();
        codec.encode(Objects.requireNonNull(value, "value"), scratch.firstSlot());
        PerCpuWrites.writeFirstSlotToAll(map, scratch.slots(), scratch.firstSlot().byteSize(), features);
    }

    /**
     * Writes {@code value} to {@code cpu}'s copy. Without BPF_F_CPU (kernels before 6.19) this is a
     * read-modify-write of all CPUs' copies, which races with a BPF program writing other CPUs' copies.
     *
     * @param cpu a possible CPU
     * @param value what that CPU's copy becomes
     */
    public void write(int cpu, R value) {
        WriteScratch scratch = writeScratch.get();
        codec.encode(Objects.requireNonNull(value, "value"), scratch.encoded());
        PerCpuWrites.writeCpu(map, cpu, scratch.encoded(), features, scratch.slots());
    }

    /**
     * The initial image as a record, if the map was created with one.
     *
     * @return the initial values; empty for a map opened from the kernel
     */
    public Optional<R> initialImage() {
        return map.initialImage().map(codec::decode);
    }

    /**
     * The initial image's bytes, read-only: the kernel's map is the only place to change values now.
     *
     * @return the initial bytes; empty for a map opened from the kernel
     */
    public Optional<MemorySegment> initialImageSegment() {
        return map.initialImage();
    }

    /** Closes the map. */
    @Override
    public void close() {
        map.close();
    }
}

package dev.bpfglobals.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A reusable buffer holding one copy of a per-CPU section for every possible CPU, exactly as the
 * kernel's {@code BPF_MAP_LOOKUP_ELEM} fills it: one slot per possible CPU, each
 * {@code round_up(value_size, 8)} bytes.
 *
 * <p>Allocate one and read into it again and again: reading and the generated per-field accessors
 * (e.g. {@code XdpStatsGlobals.packets(snapshot, cpu)}) allocate nothing, and so do {@link #slot}
 * and a one-CPU read into it ({@code PerCpuGlobals.readCpu(cpu, snapshot)}). Not thread-safe: give each
 * reading thread its own snapshot.
 *
 * @param <R> the record one slot decodes to
 */
public final class PerCpuSnapshot<R extends Record> {

    private final SectionCodec<R> codec;
    private final PossibleCpus cpus;
    private final long stride;
    private final MemorySegment buffer;
    /** One view per slot, made once, so that {@link #slot} and a one-CPU read allocate nothing. */
    private final MemorySegment[] slots;

    private PerCpuSnapshot(SectionCodec<R> codec, PossibleCpus cpus) {
        this.codec = codec;
        this.cpus = cpus;
        this.stride = slotStride(codec.section().valueSize());
        // An automatic arena ties the native buffer's life to this object's, so users need not close it.
        // Page-aligned when it spans pages, so the kernel's copy out starts on a page like a malloc'd buffer in C.
        long size = stride * cpus.count();
        this.buffer = Arena.ofAuto().allocate(size, size >= 4096 ? 4096 : 64);
        this.slots = new MemorySegment[cpus.count()];
        for (int slot = 0; slot < slots.length; slot++) {
            slots[slot] = buffer.asSlice(slot * stride, codec.section().valueSize());
        }
    }

    /**
     * Allocates a zero-filled snapshot for {@code cpus}.
     *
     * @param <R> the record one slot decodes to
     * @param codec the record's codec, which gives the slot size
     * @param cpus the possible CPUs, one slot each
     * @return the new snapshot
     */
    public static <R extends Record> PerCpuSnapshot<R> allocate(SectionCodec<R> codec, PossibleCpus cpus) {
        return new PerCpuSnapshot<>(Objects.requireNonNull(codec, "codec"), Objects.requireNonNull(cpus, "cpus"));
    }

    /**
     * The kernel's per-CPU slot size for a value of {@code valueSize} bytes: rounded up to 8.
     *
     * @param valueSize the map's value size in bytes
     * @return the slot size in bytes
     */
    public static long slotStride(long valueSize) {
        return (valueSize + 7) & ~7L;
    }

    /** {@return the codec that decodes each slot} */
    public SectionCodec<R> codec() {
        return codec;
    }

    /** {@return the possible CPUs whose copies this snapshot holds} */
    public PossibleCpus cpus() {
        return cpus;
    }

    /** {@return the bytes between the starts of two consecutive slots} */
    public long slotStride() {
        return stride;
    }

    /** {@return the whole buffer, in the layout the kernel reads and writes} */
    public MemorySegment segment() {
        return buffer;
    }

    /**
     * The byte offset of {@code cpu}'s copy inside {@link #segment()}.
     *
     * @param cpu a possible CPU
     * @return the offset in bytes
     * @throws IllegalArgumentException if {@code cpu} is not a possible CPU
     */
    public long slotOffset(int cpu) {
        return cpus.slotOf(cpu) * stride;
    }

    /**
     * {@code cpu}'s copy of the section, as a view of this snapshot's buffer.
     *
     * @param cpu a possible CPU
     * @return the slot's bytes (the section's value size, without the padding to 8)
     */
    public MemorySegment slot(int cpu) {
        return slots[cpus.slotOf(cpu)];
    }

    /**
     * {@code cpu}'s copy decoded as a record.
     *
     * @param cpu a possible CPU
     * @return the decoded copy
     */
    public R get(int cpu) {
        return codec.decode(slot(cpu));
    }

    /**
     * The sum over all CPUs, by the rules of {@link SectionCodec#sum}.
     *
     * @return a record holding the sums
     */
    public R sum() {
        return codec.sum(buffer, stride, cpus.count());
    }

    /**
     * Folds every CPU's decoded copy into {@code identity}, in ascending CPU order.
     *
     * @param <A> the type of the accumulated result
     * @param identity the result to start from
     * @param accumulator combines the result so far with one CPU's record
     * @return the result after every CPU
     */
    public <A> A reduce(A identity, BiFunction<A, ? super R, A> accumulator) {
        A result = identity;
        for (int slot = 0; slot < cpus.count(); slot++) {
            result = accumulator.apply(result, get(cpus.cpuAt(slot)));
        }
        return result;
    }
}

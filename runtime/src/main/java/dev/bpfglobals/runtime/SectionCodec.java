package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.SectionContract;
import java.lang.foreign.MemorySegment;

/**
 * Converts between a record and the bytes of one global section, in the host's byte order.
 *
 * <p>The annotation processor generates one per section of each annotated record (see the
 * generated {@code <Record>Globals} class); the runtime uses it to bind the record to a map. A
 * section holds exactly the record's components, so {@code R} is the record itself when every
 * component lives in that section.
 *
 * @param <R> the record the section's bytes decode to
 */
public interface SectionCodec<R extends Record> {

    /** {@return the record type this codec reads and writes} */
    Class<R> recordType();

    /**
     * The binary name of the annotated record whose section this is: the name its generated header
     * ({@code META-INF/bpf-globals/NAME.h}) and contract carry, which error messages give. The
     * {@link #recordType()}'s name by default; a generated codec, whose record type is its part of
     * the annotated record ({@code FooGlobals.PerCpuPart}), answers the annotated record's name.
     *
     * @return the annotated record's binary name
     */
    default String recordName() {
        return recordType().getName();
    }

    /** {@return the layout of the section, as the processor derived it from clang's rules} */
    SectionContract section();

    /**
     * Reads a record from {@code src}, which must be at least {@code section().valueSize()} bytes.
     *
     * @param src the section's bytes (a map value, one CPU's slot, or a mmapped section)
     * @return the decoded record
     * @throws IndexOutOfBoundsException if {@code src} is too small
     */
    R decode(MemorySegment src);

    /**
     * Writes {@code value} into {@code dst}, padding bytes included (as zero), so that the bytes
     * equal what the C compiler would emit for the same initial values.
     *
     * @param value the record to encode
     * @param dst where the section's bytes go, at least {@code section().valueSize()} bytes
     * @throws IndexOutOfBoundsException if {@code dst} is too small
     * @throws IllegalArgumentException  if an array component does not have its declared length
     */
    void encode(R value, MemorySegment dst);

    /**
     * Sums {@code count} per-CPU copies laid out {@code stride} bytes apart in {@code slots}.
     *
     * <p>Integral fields add with two's-complement wrap-around (as C's unsigned arithmetic does),
     * arrays and nested records element by element; {@code boolean} fields are OR-ed; enum and
     * {@code char} fields, which have no meaningful sum, keep the first copy's value.
     *
     * @param slots the per-CPU copies, as {@code BPF_MAP_LOOKUP_ELEM} fills them
     * @param stride bytes between the starts of two copies ({@code round_up(value_size, 8)})
     * @param count how many copies to sum (the possible CPU count)
     * @return a record holding the sums
     */
    R sum(MemorySegment slots, long stride, int count);
}

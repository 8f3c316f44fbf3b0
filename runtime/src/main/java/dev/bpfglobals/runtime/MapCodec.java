package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ValueType;
import java.lang.foreign.MemorySegment;

/**
 * Converts between a Java value and the bytes of a map key or value, in the host's byte order,
 * and states the C type those bytes have, so that a typed map can check a map's BTF against it.
 *
 * <p>The annotation processor generates one for every {@code @BpfStruct} record
 * ({@code FlowKeyCodec.INSTANCE}); {@link MapCodecs} has the scalar ones ({@code __u32},
 * {@code __u64}, ...).
 *
 * @param <T> the Java type of a key or value
 */
public interface MapCodec<T> {

    /** {@return the Java type this codec reads and writes} */
    Class<T> javaType();

    /** {@return the C type of the bytes, as a map's BTF would describe it} */
    ValueType cType();

    /** {@return the size of one key or value in bytes: {@code sizeof} the C type} */
    default long size() {
        return cType().size();
    }

    /**
     * Reads a value from the first {@link #size()} bytes of {@code src}.
     *
     * @param src the bytes, at least {@link #size()} of them
     * @return the decoded value
     * @throws IndexOutOfBoundsException if {@code src} is too small
     */
    T decode(MemorySegment src);

    /**
     * Writes {@code value} into the first {@link #size()} bytes of {@code dst}, padding as zero.
     *
     * @param value the value
     * @param dst   where the bytes go, at least {@link #size()} of them
     * @throws IndexOutOfBoundsException if {@code dst} is too small
     * @throws IllegalArgumentException  if an array member does not have its declared length
     */
    void encode(T value, MemorySegment dst);

    /**
     * {@code value} as a new array of {@link #size()} bytes.
     *
     * @param value the value
     * @return its bytes
     */
    default byte[] toBytes(T value) {
        byte[] bytes = new byte[Math.toIntExact(size())];
        encode(value, MemorySegment.ofArray(bytes));
        return bytes;
    }

    /**
     * The value {@code bytes} hold.
     *
     * @param bytes at least {@link #size()} bytes
     * @return the decoded value
     */
    default T fromBytes(byte[] bytes) {
        // Decoders use unaligned accesses, so a heap segment over a byte[] will do.
        return decode(MemorySegment.ofArray(bytes).asSlice(0, size()));
    }
}

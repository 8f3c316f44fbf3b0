package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Codecs of plain integer keys and values, each with the C type a map's BTF gives it. An unsigned
 * C integer is held in the Java type of its width ({@code __u32} in an {@code Integer}), its bits
 * unchanged: read it with {@link Integer#toUnsignedLong(int)} and friends.
 */
public final class MapCodecs {

    /** {@code __s8} as a {@link Byte}. */
    public static final MapCodec<Byte> S8 = new Scalar<>(Byte.class, "__s8", 1, true);
    /** {@code __u8} as a {@link Byte}. */
    public static final MapCodec<Byte> U8 = new Scalar<>(Byte.class, "__u8", 1, false);
    /** {@code __s16} as a {@link Short}. */
    public static final MapCodec<Short> S16 = new Scalar<>(Short.class, "__s16", 2, true);
    /** {@code __u16} as a {@link Short}. */
    public static final MapCodec<Short> U16 = new Scalar<>(Short.class, "__u16", 2, false);
    /** {@code __s32} (C's {@code int}) as an {@link Integer}. */
    public static final MapCodec<Integer> S32 = new Scalar<>(Integer.class, "__s32", 4, true);
    /** {@code __u32} as an {@link Integer}. */
    public static final MapCodec<Integer> U32 = new Scalar<>(Integer.class, "__u32", 4, false);
    /** {@code __s64} as a {@link Long}. */
    public static final MapCodec<Long> S64 = new Scalar<>(Long.class, "__s64", 8, true);
    /** {@code __u64} as a {@link Long}. */
    public static final MapCodec<Long> U64 = new Scalar<>(Long.class, "__u64", 8, false);

    private MapCodecs() {
    }

    /** One integer of 1, 2, 4 or 8 bytes, accessed unaligned since callers may pass heap segments. */
    private record Scalar<T extends Number>(Class<T> javaType, String cName, int bytes, boolean signed) implements MapCodec<T> {

        @Override
        public ValueType cType() {
            return new ValueType.Int(cName, bytes, signed, false, 0, bytes * 8);
        }

        @Override
        public long size() {
            return bytes;
        }

        @Override
        public T decode(MemorySegment src) {
            Object value = switch (bytes) {
                case 1 -> src.get(ValueLayout.JAVA_BYTE, 0);
                case 2 -> src.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
                case 4 -> src.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
                default -> src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            };
            return javaType.cast(value);
        }

        @Override
        public void encode(T value, MemorySegment dst) {
            Objects.requireNonNull(value, "value");
            switch (bytes) {
                case 1 -> dst.set(ValueLayout.JAVA_BYTE, 0, value.byteValue());
                case 2 -> dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, value.shortValue());
                case 4 -> dst.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value.intValue());
                default -> dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value.longValue());
            }
        }

        @Override
        public String toString() {
            return "MapCodecs." + cName.substring(2).toUpperCase(java.util.Locale.ROOT);
        }
    }
}

package dev.bpfglobals.runtime.btf;

import java.util.List;
import java.util.Objects;

/**
 * The number kinds of {@link BtfType}: integers, floating point and enums with their enumerators.
 * Callers name them through {@link BtfType}, which extends this interface: {@code BtfType.Int}.
 */
public sealed interface BtfNumberTypes permits BtfType {

    /**
     * An integer, {@code char} or {@code _Bool}.
     *
     * @param size      {@code sizeof} in bytes (1, 2, 4, 8 or 16)
     * @param encoding  {@link #SIGNED}, {@link #CHAR} and {@link #BOOL} bits
     * @param bitOffset offset of the value's bits in the storage (0 for ordinary integers)
     * @param bits      number of value bits
     */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        /** {@code BTF_INT_SIGNED}. */
        public static final int SIGNED = 1;
        /** {@code BTF_INT_CHAR}. */
        public static final int CHAR = 2;
        /** {@code BTF_INT_BOOL}. */
        public static final int BOOL = 4;

        /** Checks the integer's shape. */
        public Int {
            Objects.requireNonNull(name, "name");
            if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
                throw new IllegalArgumentException("INT '" + name + "' has size " + size + ", not 1, 2, 4, 8 or 16");
            }
            if ((encoding & ~7) != 0 || bitOffset < 0 || bits < 0 || bitOffset + bits > size * 8) {
                throw new IllegalArgumentException("INT '" + name + "': encoding " + encoding + ", bits " + bits
                        + " at bit " + bitOffset + " do not fit " + size + " bytes");
            }
        }

        /** A plain integer of {@code size} bytes using all its bits. */
        public static Int of(String name, int size, boolean signed) {
            return new Int(name, size, signed ? SIGNED : 0, 0, size * 8);
        }

        /** Whether the integer is signed. */
        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }

        /** Whether this is C's {@code _Bool}. */
        public boolean bool() {
            return (encoding & BOOL) != 0;
        }

        @Override
        public BtfKind kind() {
            return BtfKind.INT;
        }
    }

    /** A floating-point type of {@code size} bytes. */
    record Float(String name, int size) implements BtfType {
        /** Checks name and size. */
        public Float {
            Objects.requireNonNull(name, "name");
            if (size != 2 && size != 4 && size != 8 && size != 12 && size != 16) {
                throw new IllegalArgumentException("FLOAT '" + name + "' has size " + size);
            }
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /** One enumerator of a 32-bit {@link Enum}; {@code value} holds its raw 32 bits. */
    record EnumValue(String name, int value) {
        /** Checks the name. */
        public EnumValue {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A 32-bit (or narrower) {@code enum}. */
    record Enum(String name, int size, boolean signed, List<EnumValue> values) implements BtfType {
        /** Copies the values. */
        public Enum {
            Objects.requireNonNull(name, "name");
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                throw new IllegalArgumentException("ENUM '" + name + "' has size " + size);
            }
            values = List.copyOf(values);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    /** One enumerator of an {@link Enum64}. */
    record Enum64Value(String name, long value) {
        /** Checks the name. */
        public Enum64Value {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A 64-bit {@code enum}. */
    record Enum64(String name, int size, boolean signed, List<Enum64Value> values) implements BtfType {
        /** Copies the values. */
        public Enum64 {
            Objects.requireNonNull(name, "name");
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                throw new IllegalArgumentException("ENUM64 '" + name + "' has size " + size);
            }
            values = List.copyOf(values);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }
}

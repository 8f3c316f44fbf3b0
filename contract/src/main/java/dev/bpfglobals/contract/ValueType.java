package dev.bpfglobals.contract;

import java.util.List;
import java.util.Objects;

/**
 * A read-only description of the C type of a map's value or of a global variable, as the object's
 * or the map's BTF gives it: names, byte offsets, sizes, signedness, arrays and nested structs. Tools
 * use it to name and decode the bytes of a map they hold no record for ({@code bpf-globals dump
 * --json}, metrics exporters). Typedefs and qualifiers are seen through; {@link #cName()} keeps the
 * spelling the C source used.
 */
public sealed interface ValueType {

    /** The C spelling of the type: {@code __u64}, {@code struct flow}, {@code char[16]}, {@code .percpu}. */
    String cName();

    /** The size in bytes (0 for {@link Opaque} types that have none). */
    long size();

    /**
     * An integer, {@code _Bool} and {@code char} included.
     *
     * @param bitOffset where the value starts within its {@code size} bytes, in bits (0 but for odd BTF)
     * @param bits      how many bits the value has ({@code size * 8} but for odd BTF)
     */
    record Int(String cName, long size, boolean signed, boolean bool, int bitOffset, int bits) implements ValueType {
    }

    /** A floating-point number of 4, 8 or 16 bytes. */
    record Float(String cName, long size) implements ValueType {
    }

    /** An enum: an integer of {@code size} bytes with named constants. */
    record Enum(String cName, long size, boolean signed, List<Constant> constants) implements ValueType {
        /** Copies the constants. */
        public Enum {
            constants = List.copyOf(constants);
        }
    }

    /** One named constant of an {@link Enum}. */
    record Constant(String name, long value) {
    }

    /** A pointer: 8 bytes, only meaningful to the kernel. */
    record Pointer(String cName) implements ValueType {
        @Override
        public long size() {
            return 8;
        }
    }

    /** {@code length} elements of {@code element}, back to back. */
    record Array(String cName, ValueType element, int length) implements ValueType {
        @Override
        public long size() {
            return element.size() * length;
        }
    }

    /** A struct or union, with its fields at their offsets. */
    record Struct(String cName, long size, boolean union, List<Field> fields) implements ValueType {
        /** Copies the fields. */
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A field of a {@link Struct}. An anonymous struct or union member has an empty name; its fields
     * are named in the enclosing type, as C code names them.
     *
     * @param bitOffset    offset from the start of the struct in bits
     * @param bitfieldSize the width of a bitfield in bits, 0 for a whole field
     */
    record Field(String name, long bitOffset, int bitfieldSize, ValueType type) {
        /** Checks the fields. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /** The offset in bytes (of the storage unit, for a bitfield). */
        public long offset() {
            return bitOffset / 8;
        }
    }

    /** A global-data section ({@code .data}, {@code .percpu}, ...): its variables at their offsets. */
    record Section(String cName, long size, List<Variable> variables) implements ValueType {
        /** Copies the variables. */
        public Section {
            variables = List.copyOf(variables);
        }
    }

    /** A variable of a {@link Section}. */
    record Variable(String name, long offset, long size, ValueType type) {
    }

    /** What holds no value a tool could decode: {@code void}, functions, forward declarations. */
    record Opaque(String cName, long size) implements ValueType {
    }
}

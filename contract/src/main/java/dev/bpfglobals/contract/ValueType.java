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

    /**
     * The C spelling of the type, as a tool shows it next to a value.
     *
     * @return the name the C source used: {@code __u64}, {@code struct flow}, {@code char[16]},
     *         {@code .percpu}
     */
    String cName();

    /**
     * How many bytes a value of this type takes in the map, which is how far a decoder advances.
     *
     * @return the size in bytes (0 for {@link Opaque} types that have none)
     */
    long size();

    /**
     * An integer, {@code _Bool} and {@code char} included.
     *
     * @param cName     the C spelling, e.g. {@code __u32} or {@code char}
     * @param size      the size in bytes: 1, 2, 4, 8 or 16
     * @param signed    whether the top bit is a sign bit, so a decoder knows whether to sign-extend
     * @param bool      whether it is a {@code _Bool}, which a tool shows as {@code true}/{@code false}
     * @param bitOffset where the value starts within its {@code size} bytes, in bits (0 but for odd BTF)
     * @param bits      how many bits the value has ({@code size * 8} but for odd BTF)
     */
    record Int(String cName, long size, boolean signed, boolean bool, int bitOffset, int bits) implements ValueType {
    }

    /**
     * A floating-point number of 4, 8 or 16 bytes.
     *
     * @param cName the C spelling, e.g. {@code double}
     * @param size  the size in bytes
     */
    record Float(String cName, long size) implements ValueType {
    }

    /**
     * An enum: an integer of {@code size} bytes with named constants, so a tool can show a value by
     * its name.
     *
     * @param cName     the C spelling, e.g. {@code enum verdict}
     * @param size      the size of the underlying integer in bytes
     * @param signed    whether the underlying integer is signed (BTF records it for enums too)
     * @param constants the named values, in declaration order; a value in the map need not be one of them
     */
    record Enum(String cName, long size, boolean signed, List<Constant> constants) implements ValueType {
        /** Copies the constants, so the type cannot change under its holder. */
        public Enum {
            constants = List.copyOf(constants);
        }
    }

    /**
     * One named constant of an {@link Enum}.
     *
     * @param name  the constant's C identifier
     * @param value its numeric value
     */
    record Constant(String name, long value) {
    }

    /**
     * A pointer: 8 bytes, only meaningful to the kernel, so tools show the address, not a target.
     *
     * @param cName the C spelling, e.g. {@code struct task_struct *}
     */
    record Pointer(String cName) implements ValueType {
        @Override
        public long size() {
            return 8;
        }
    }

    /**
     * {@code length} elements of {@code element}, back to back, with no padding between them.
     *
     * @param cName   the C spelling, e.g. {@code __u64[8]}
     * @param element the type of each element
     * @param length  the number of elements
     */
    record Array(String cName, ValueType element, int length) implements ValueType {
        @Override
        public long size() {
            return element.size() * length;
        }
    }

    /**
     * A struct or union, with its fields at their offsets.
     *
     * @param cName  the C spelling, e.g. {@code struct flow}
     * @param size   the size in bytes, tail padding included
     * @param union  whether it is a union, whose fields all start at offset 0 and overlap
     * @param fields the fields in declaration order
     */
    record Struct(String cName, long size, boolean union, List<Field> fields) implements ValueType {
        /** Copies the fields, so the type cannot change under its holder. */
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A field of a {@link Struct}. An anonymous struct or union member has an empty name; its fields
     * are named in the enclosing type, as C code names them.
     *
     * @param name         the field's C identifier, empty for an anonymous member
     * @param bitOffset    offset from the start of the struct in bits
     * @param bitfieldSize the width of a bitfield in bits, 0 for a whole field
     * @param type         the field's type
     */
    record Field(String name, long bitOffset, int bitfieldSize, ValueType type) {
        /** Refuses a missing name or type, so a broken description fails where it is built. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /**
         * Where a decoder finds the field's bytes.
         *
         * @return the offset in bytes from the start of the struct (of the storage unit, for a bitfield)
         */
        public long offset() {
            return bitOffset / 8;
        }
    }

    /**
     * A global-data section ({@code .data}, {@code .percpu}, ...): its variables at their offsets.
     *
     * @param cName     the section name, e.g. {@code .percpu}
     * @param size      the section size in bytes, which is the map's value size
     * @param variables the variables in section order
     */
    record Section(String cName, long size, List<Variable> variables) implements ValueType {
        /** Copies the variables, so the type cannot change under its holder. */
        public Section {
            variables = List.copyOf(variables);
        }
    }

    /**
     * A variable of a {@link Section}.
     *
     * @param name   the variable's C identifier
     * @param offset the byte offset of the variable inside the section
     * @param size   the size of the variable in bytes
     * @param type   the variable's type
     */
    record Variable(String name, long offset, long size, ValueType type) {
    }

    /**
     * What holds no value a tool could decode: {@code void}, functions, forward declarations.
     * Tools show such a value as raw bytes, if at all.
     *
     * @param cName the C spelling, e.g. {@code struct sock} for a forward declaration
     * @param size  the size in bytes, 0 where the type has none
     */
    record Opaque(String cName, long size) implements ValueType {
    }
}

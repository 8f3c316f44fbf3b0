package dev.bpfglobals.processor.layout;

import java.util.List;

/**
 * A C type of a BPF global, with clang's size and alignment rules for the BPF target. Free of
 * javac types so the layout can be tested on its own.
 */
public sealed interface CType permits CType.Scalar, CType.Array, CType.Struct, CType.Enum {

    /** {@return {@code sizeof} in bytes, as clang computes it for the BPF target} */
    int size();

    /** {@return {@code _Alignof} in bytes, where the layout places the type} */
    int alignment();

    /** {@return the type's spelling in a declaration, before the declarator (arrays: the element's)} */
    String cName();

    /** {@return the spelling used in the contract, e.g. {@code __u64}, {@code __u32[8]}, {@code struct xdp_stats_flow}} */
    default String contractName() {
        return cName();
    }

    /**
     * A C declaration of {@code name} with this type, e.g. {@code __u64 packets} or
     * {@code __u64 sizeBuckets[8]}: the one spelling the header and the accessor's javadoc share.
     *
     * @param name the declared identifier
     * @return the declaration, without qualifiers or semicolon
     */
    default String declarator(String name) {
        return this instanceof Array array
                ? array.element().cName() + " " + name + "[" + array.length() + "]"
                : cName() + " " + name;
    }

    /**
     * A scalar: an integer, {@code _Bool}, or a UTF-16 unit.
     *
     * @param kind which scalar, with its C name and size
     */
    record Scalar(ScalarKind kind) implements CType {
        @Override
        public int size() {
            return kind.size();
        }

        @Override
        public int alignment() {
            return kind.size();
        }

        @Override
        public String cName() {
            return kind.cName();
        }
    }

    /**
     * A fixed-length array; its alignment is its element's.
     *
     * @param element the element type, never an array
     * @param length  the {@code @Length}, at least 1
     */
    record Array(CType element, int length) implements CType {
        @Override
        public int size() {
            return element.size() * length;
        }

        @Override
        public int alignment() {
            return element.alignment();
        }

        @Override
        public String cName() {
            return element.cName();
        }

        @Override
        public String contractName() {
            return element.contractName() + "[" + length + "]";
        }
    }

    /**
     * A C struct mirroring a nested record: members in order at natural alignment, size rounded up
     * to the struct's alignment (C tail padding).
     *
     * @param tag      the struct tag in C
     * @param javaName the fully qualified name of the record it mirrors
     * @param fields   the members in declaration order
     * @param shared   whether the record is a {@code @BpfStruct}: its struct (and the types inside
     *                 it) has the same tag and definition in every header that uses it, so each
     *                 header defines it under an include guard of its own
     */
    record Struct(String tag, String javaName, List<Field> fields, boolean shared) implements CType {
        /** Copies the fields, so the type cannot change under the layout. */
        public Struct {
            fields = List.copyOf(fields);
        }

        /**
         * A struct of one header only: a nested record that is no {@code @BpfStruct}.
         *
         * @param tag      the struct tag in C
         * @param javaName the fully qualified name of the record it mirrors
         * @param fields   the members in declaration order
         */
        public Struct(String tag, String javaName, List<Field> fields) {
            this(tag, javaName, fields, false);
        }

        /** {@return the members placed at their offsets, in declaration order} */
        public List<Placed> placed() {
            return Layouts.place(fields);
        }

        @Override
        public int size() {
            List<Placed> members = placed();
            int end = members.isEmpty() ? 0 : members.getLast().end();
            return Layouts.roundUp(end, alignment());
        }

        @Override
        public int alignment() {
            return fields.stream().mapToInt(f -> f.type().alignment()).max().orElse(1);
        }

        @Override
        public String cName() {
            return "struct " + tag;
        }
    }

    /**
     * A C enum mirroring a Java enum; values are the constants' ordinals, so it is 32 bits wide.
     *
     * @param tag       the enum tag in C
     * @param javaName  the fully qualified name of the Java enum
     * @param constants the Java constant names in ordinal order
     */
    record Enum(String tag, String javaName, List<String> constants) implements CType {
        /** Copies the constants, so the type cannot change under the layout. */
        public Enum {
            constants = List.copyOf(constants);
        }

        @Override
        public int size() {
            return 4;
        }

        @Override
        public int alignment() {
            return 4;
        }

        @Override
        public String cName() {
            return "enum " + tag;
        }
    }

    /**
     * A named member of a struct or a section, before layout.
     *
     * @param name the member's C name
     * @param type the member's type
     */
    record Field(String name, CType type) {
    }

    /**
     * A field at its byte offset, after layout.
     *
     * @param name   the member's C name
     * @param type   the member's type
     * @param offset the byte offset from the start of the struct or section
     */
    record Placed(String name, CType type, int offset) {
        /** {@return the offset of the first byte after the field, where padding or the next field starts} */
        public int end() {
            return offset + type.size();
        }
    }
}

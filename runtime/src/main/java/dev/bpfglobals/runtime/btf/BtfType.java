package dev.bpfglobals.runtime.btf;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type, immutable. Types refer to each other by type id (an index into {@link Btf#types()},
 * 0 being {@code void}); names are plain strings, empty for anonymous types. One record per kind,
 * mirroring {@code struct btf_type} and the data that follows it in {@code <linux/btf.h>}.
 *
 * <p>Numbers the kernel stores as {@code u32} (sizes, offsets, lengths) are {@code int}s here and
 * never negative: the reader refuses larger values, which no compiler emits.
 */
public sealed interface BtfType {

    /** The kind of this type. */
    BtfKind kind();

    /** The type's name, empty when anonymous or when the kind has none. */
    String name();

    /** The linkage of a {@link Func} or {@link Var}: {@code BTF_FUNC_*} / {@code BTF_VAR_*}. */
    enum Linkage {
        /** File-local ({@code static}). */
        STATIC,
        /** Defined here and visible to other objects. */
        GLOBAL,
        /** Declared here, defined elsewhere ({@code extern}). */
        EXTERN;

        static Linkage of(int value) {
            return value >= 0 && value < values().length ? values()[value] : null;
        }
    }

    /** {@code void}: type id 0, never stored in the type section. */
    record Void() implements BtfType {
        /** The one instance. */
        public static final Void INSTANCE = new Void();

        @Override
        public BtfKind kind() {
            return BtfKind.VOID;
        }

        @Override
        public String name() {
            return "";
        }
    }

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

    /** A pointer to {@code type}. */
    record Ptr(int type) implements BtfType {
        /** Checks the id. */
        public Ptr {
            requireId(type, "PTR target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** An array of {@code length} elements of {@code elementType}, indexed by {@code indexType}. */
    record Array(int elementType, int indexType, int length) implements BtfType {
        /** Checks ids and length. */
        public Array {
            requireId(elementType, "ARRAY element");
            requireId(indexType, "ARRAY index");
            requireSize(length, "ARRAY length");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /**
     * A member of a struct or union.
     *
     * @param bitOffset    offset from the start of the aggregate, in bits
     * @param bitfieldSize width of a bitfield member, 0 for an ordinary member
     */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {
        /** Checks the member's shape. */
        public Member {
            Objects.requireNonNull(name, "name");
            requireId(type, "member '" + name + "' type");
            requireSize(bitOffset, "member '" + name + "' bit offset");
            if (bitfieldSize < 0 || bitfieldSize > 255) {
                throw new IllegalArgumentException("member '" + name + "' has bitfield size " + bitfieldSize);
            }
        }
    }

    /** A {@code struct} of {@code size} bytes. */
    record Struct(String name, int size, List<Member> members) implements BtfType {
        /** Copies the members. */
        public Struct {
            Objects.requireNonNull(name, "name");
            requireSize(size, "STRUCT '" + name + "' size");
            members = List.copyOf(members);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    /** A {@code union} of {@code size} bytes. */
    record Union(String name, int size, List<Member> members) implements BtfType {
        /** Copies the members. */
        public Union {
            Objects.requireNonNull(name, "name");
            requireSize(size, "UNION '" + name + "' size");
            members = List.copyOf(members);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.UNION;
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

    /** A forward declaration of a struct, or of a union when {@code union} is set. */
    record Fwd(String name, boolean union) implements BtfType {
        /** Checks the name. */
        public Fwd {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    /** {@code typedef type name}. */
    record Typedef(String name, int type) implements BtfType {
        /** Checks name and id. */
        public Typedef {
            Objects.requireNonNull(name, "name");
            requireId(type, "TYPEDEF '" + name + "' target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    /** {@code volatile type}. */
    record Volatile(int type) implements BtfType {
        /** Checks the id. */
        public Volatile {
            requireId(type, "VOLATILE target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** {@code const type}. */
    record Const(int type) implements BtfType {
        /** Checks the id. */
        public Const {
            requireId(type, "CONST target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.CONST;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** {@code restrict type}. */
    record Restrict(int type) implements BtfType {
        /** Checks the id. */
        public Restrict {
            requireId(type, "RESTRICT target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** A tag attached to {@code type} ({@code __attribute__((btf_type_tag(name)))}). */
    record TypeTag(String name, int type) implements BtfType {
        /** Checks name and id. */
        public TypeTag {
            Objects.requireNonNull(name, "name");
            requireId(type, "TYPE_TAG '" + name + "' target");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    /** A function; {@code type} is its {@link FuncProto}. */
    record Func(String name, int type, Linkage linkage) implements BtfType {
        /** Checks name, id and linkage. */
        public Func {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(linkage, "linkage");
            requireId(type, "FUNC '" + name + "' prototype");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A parameter of a {@link FuncProto}; a last one with type 0 and no name means {@code ...}. */
    record Param(String name, int type) {
        /** Checks name and id. */
        public Param {
            Objects.requireNonNull(name, "name");
            requireId(type, "parameter '" + name + "' type");
        }
    }

    /** A function prototype: return type (0 for void) and parameters. */
    record FuncProto(int returnType, List<Param> params) implements BtfType {
        /** Copies the parameters. */
        public FuncProto {
            requireId(returnType, "FUNC_PROTO return type");
            params = List.copyOf(params);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** A global variable of {@code type}. */
    record Var(String name, int type, Linkage linkage) implements BtfType {
        /** Checks name, id and linkage. */
        public Var {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(linkage, "linkage");
            requireId(type, "VAR '" + name + "' type");
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** Where variable (or function) {@code type} lies in a {@link Datasec}. */
    record VarSecinfo(int type, int offset, int size) {
        /** Checks id, offset and size. */
        public VarSecinfo {
            requireId(type, "DATASEC entry");
            requireSize(offset, "DATASEC entry offset");
            requireSize(size, "DATASEC entry size");
        }
    }

    /** An ELF data section ({@code .data}, {@code .percpu}, {@code .maps}, ...) and the variables in it. */
    record Datasec(String name, int size, List<VarSecinfo> entries) implements BtfType {
        /** Copies the entries. */
        public Datasec {
            Objects.requireNonNull(name, "name");
            requireSize(size, "DATASEC '" + name + "' size");
            entries = List.copyOf(entries);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.DATASEC;
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

    /**
     * A declaration tag on {@code type}, or on its member/parameter {@code componentIndex}
     * (-1 for the type itself).
     */
    record DeclTag(String name, int type, int componentIndex) implements BtfType {
        /** Checks name, id and index. */
        public DeclTag {
            Objects.requireNonNull(name, "name");
            requireId(type, "DECL_TAG '" + name + "' target");
            if (componentIndex < -1) {
                throw new IllegalArgumentException("DECL_TAG '" + name + "' has component index " + componentIndex);
            }
        }

        @Override
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    private static void requireId(int id, String what) {
        if (id < 0) {
            throw new IllegalArgumentException(what + " is type id " + Integer.toUnsignedString(id));
        }
    }

    private static void requireSize(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " is " + Integer.toUnsignedString(value) + ", beyond 2^31");
        }
    }
}

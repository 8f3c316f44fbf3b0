package dev.bpfglobals.runtime.btf;

/**
 * One BTF type, immutable. Types refer to each other by type id (an index into {@link Btf#types()},
 * 0 being {@code void}); names are plain strings, empty for anonymous types. One record per kind,
 * mirroring {@code struct btf_type} and the data that follows it in {@code <linux/btf.h>}. The
 * records live in one file per family of kinds ({@link BtfNumberTypes}, {@link BtfAggregateTypes},
 * {@link BtfReferenceTypes}, {@link BtfDeclarationTypes}); this interface extends those, so every
 * record is named {@code BtfType.Struct}, {@code BtfType.Int}, ... wherever it is used.
 *
 * <p>Numbers the kernel stores as {@code u32} (sizes, offsets, lengths) are {@code int}s here and
 * never negative: the reader refuses larger values, which no compiler emits.
 */
public sealed interface BtfType extends BtfNumberTypes, BtfAggregateTypes, BtfReferenceTypes, BtfDeclarationTypes
        permits BtfType.Void,
                BtfNumberTypes.Int, BtfNumberTypes.Float, BtfNumberTypes.Enum, BtfNumberTypes.Enum64,
                BtfAggregateTypes.Struct, BtfAggregateTypes.Union, BtfAggregateTypes.Array, BtfAggregateTypes.Fwd,
                BtfReferenceTypes.Ptr, BtfReferenceTypes.Typedef, BtfReferenceTypes.Const, BtfReferenceTypes.Volatile,
                BtfReferenceTypes.Restrict, BtfReferenceTypes.TypeTag,
                BtfDeclarationTypes.Func, BtfDeclarationTypes.FuncProto, BtfDeclarationTypes.Var,
                BtfDeclarationTypes.Datasec, BtfDeclarationTypes.DeclTag {

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
}

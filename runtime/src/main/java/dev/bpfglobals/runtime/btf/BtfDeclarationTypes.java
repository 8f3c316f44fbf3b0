package dev.bpfglobals.runtime.btf;

import static dev.bpfglobals.runtime.btf.BtfTypeChecks.requireId;
import static dev.bpfglobals.runtime.btf.BtfTypeChecks.requireSize;

import java.util.List;
import java.util.Objects;

/**
 * The declaration kinds of {@link BtfType}: functions with their prototypes and parameters,
 * variables, the data sections that place them, and declaration tags.
 * Callers name them through {@link BtfType}, which extends this interface: {@code BtfType.Func}.
 */
public sealed interface BtfDeclarationTypes permits BtfType {

    /** A function; {@code type} is its {@link FuncProto}. */
    record Func(String name, int type, BtfType.Linkage linkage) implements BtfType {
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

    /** A parameter of a {@link FuncProto}; a last one with type 0 and no name means {@code ...}. */
    record Param(String name, int type) {
        /** Checks name and id. */
        public Param {
            Objects.requireNonNull(name, "name");
            requireId(type, "parameter '" + name + "' type");
        }
    }

    /** A global variable of {@code type}. */
    record Var(String name, int type, BtfType.Linkage linkage) implements BtfType {
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

    /** Where variable (or function) {@code type} lies in a {@link Datasec}. */
    record VarSecinfo(int type, int offset, int size) {
        /** Checks id, offset and size. */
        public VarSecinfo {
            requireId(type, "DATASEC entry");
            requireSize(offset, "DATASEC entry offset");
            requireSize(size, "DATASEC entry size");
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
}

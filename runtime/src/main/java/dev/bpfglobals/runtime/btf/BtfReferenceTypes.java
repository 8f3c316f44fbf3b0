package dev.bpfglobals.runtime.btf;

import static dev.bpfglobals.runtime.btf.BtfTypeChecks.requireId;

import java.util.Objects;

/**
 * The kinds of {@link BtfType} that only refer to another type: a pointer, a typedef, the
 * qualifiers and a type tag.
 * Callers name them through {@link BtfType}, which extends this interface: {@code BtfType.Ptr}.
 */
public sealed interface BtfReferenceTypes permits BtfType {

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
}

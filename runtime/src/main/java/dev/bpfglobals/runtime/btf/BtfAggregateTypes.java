package dev.bpfglobals.runtime.btf;

import static dev.bpfglobals.runtime.btf.BtfTypeChecks.requireId;
import static dev.bpfglobals.runtime.btf.BtfTypeChecks.requireSize;

import java.util.List;
import java.util.Objects;

/**
 * The aggregate kinds of {@link BtfType}: structs and unions with their members, arrays, and
 * forward declarations.
 * Callers name them through {@link BtfType}, which extends this interface: {@code BtfType.Struct}.
 */
public sealed interface BtfAggregateTypes permits BtfType {

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
}

package dev.bpfglobals.contract;

import java.util.Optional;

/**
 * Compares the C type a codec expects with the one a map's BTF gives, and names the first
 * difference: a size, a kind (integer, enum, array, struct, union), an integer's signedness, a
 * member's name or offset, an array's length. Type names are not compared: the same struct may
 * reach the BTF under a typedef, and a nested record's tag is the codec's own choice.
 */
public final class ValueTypeComparison {

    private ValueTypeComparison() {
    }

    /**
     * The first difference between {@code expected} and {@code actual}, depth first in member order.
     *
     * @param expected the C type the Java side reads and writes
     * @param actual   the C type found (a map's BTF key or value type)
     * @return one line naming where they differ and how, e.g. {@code field 'port': offset 4 expected,
     *         BTF has 6}; empty when they agree
     */
    public static Optional<String> firstDifference(ValueType expected, ValueType actual) {
        return difference("", expected, actual);
    }

    private static Optional<String> difference(String path, ValueType want, ValueType got) {
        String where = path.isEmpty() ? "" : "field '" + path + "': ";
        if (!kind(want).equals(kind(got))) {
            return Optional.of(where + describe(want) + " expected, BTF has " + describe(got));
        }
        if (want.size() != got.size()) {
            return Optional.of(where + want.size() + " bytes (" + want.cName() + ") expected, BTF has " + got.size()
                    + " (" + got.cName() + ")");
        }
        return switch (want) {
            case ValueType.Int w -> {
                ValueType.Int g = (ValueType.Int) got;
                if (w.bool() != g.bool() || w.signed() != g.signed()) {
                    yield Optional.of(where + w.cName() + " expected, BTF has " + g.cName()
                            + (w.signed() != g.signed() ? " (signedness differs; @Unsigned decides it)" : ""));
                }
                yield Optional.empty();
            }
            case ValueType.Array w -> {
                ValueType.Array g = (ValueType.Array) got;
                yield w.length() != g.length()
                        ? Optional.of(where + w.length() + " elements expected, BTF has " + g.length())
                        : difference(path + "[]", w.element(), g.element());
            }
            case ValueType.Struct w -> structDifference(path, where, w, (ValueType.Struct) got);
            default -> Optional.empty();
        };
    }

    private static Optional<String> structDifference(String path, String where, ValueType.Struct want, ValueType.Struct got) {
        int common = Math.min(want.fields().size(), got.fields().size());
        for (int i = 0; i < common; i++) {
            ValueType.Field w = want.fields().get(i);
            ValueType.Field g = got.fields().get(i);
            String member = path.isEmpty() ? w.name() : path + "." + w.name();
            if (!w.name().equals(g.name())) {
                return Optional.of(where + "member " + (i + 1) + " is '" + w.name() + "' expected, BTF has '" + g.name() + "'");
            }
            if (w.bitOffset() != g.bitOffset() || g.bitfieldSize() != 0) {
                return Optional.of("field '" + member + "': offset " + w.offset() + " expected, BTF has " + g.offset()
                        + (g.bitfieldSize() != 0 ? " (a " + g.bitfieldSize() + "-bit bitfield)" : ""));
            }
            Optional<String> inner = difference(member, w.type(), g.type());
            if (inner.isPresent()) {
                return inner;
            }
        }
        if (want.fields().size() != got.fields().size()) {
            return Optional.of(where + want.fields().size() + " members expected, BTF has " + got.fields().size()
                    + (want.fields().size() > common ? " (no '" + want.fields().get(common).name() + "')"
                            : " (also '" + got.fields().get(common).name() + "')"));
        }
        return Optional.empty();
    }

    /** The kind and the C spelling, once: {@code integer __u64}, {@code struct flow_key}. */
    private static String describe(ValueType type) {
        return type.cName().startsWith(kind(type) + " ") ? type.cName() : kind(type) + " " + type.cName();
    }

    private static String kind(ValueType type) {
        return switch (type) {
            case ValueType.Int i -> i.bool() ? "_Bool" : "integer";
            case ValueType.Float f -> "floating-point";
            case ValueType.Enum e -> "enum";
            case ValueType.Pointer p -> "pointer";
            case ValueType.Array a -> "array";
            case ValueType.Struct s -> s.union() ? "union" : "struct";
            case ValueType.Section s -> "section";
            case ValueType.Opaque o -> "opaque type";
        };
    }
}

package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.contract.ValueType;
import java.math.BigInteger;
import java.util.List;

/**
 * Values as JSON, decoded by their {@link ValueType} (from a map's or an object's BTF): integers as
 * exact numbers (unsigned ones beyond {@code Long.MAX_VALUE} too, bitfields included), {@code _Bool}
 * as {@code true}/{@code false}, enums and pointers as numbers, arrays (char arrays too) as lists,
 * structs and unions as objects keyed by field name. The fields of an anonymous struct or union
 * field appear in the enclosing object, as C code names them. The bytes are in the host's order, as
 * the kernel hands them out.
 */
final class ValueJson {

    private final byte[] bytes;

    /** Decodes values out of {@code bytes}. */
    ValueJson(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The value of {@code type} at byte {@code offset}, as JSON. */
    String value(ValueType type, long offset) {
        StringBuilder out = new StringBuilder();
        value(type, offset, out);
        return out.toString();
    }

    private void value(ValueType type, long offset, StringBuilder out) {
        switch (type) {
            case ValueType.Int i when i.bool() -> out.append(bits(offset * 8 + i.bitOffset(), i.bits(), false).signum() != 0);
            case ValueType.Int i -> out.append(bits(offset * 8 + i.bitOffset(), i.bits(), i.signed()));
            case ValueType.Enum e -> out.append(bits(offset * 8, (int) e.size() * 8, e.signed()));
            case ValueType.Pointer p -> out.append(bits(offset * 8, 64, false));
            case ValueType.Float f -> out.append(floating(f, offset));
            case ValueType.Array a -> {
                out.append('[');
                for (int index = 0; index < a.length(); index++) {
                    out.append(index == 0 ? "" : ", ");
                    value(a.element(), offset + index * a.element().size(), out);
                }
                out.append(']');
            }
            case ValueType.Struct s -> {
                out.append('{');
                fields(s.fields(), offset, out, true);
                out.append('}');
            }
            case ValueType.Section section -> {
                out.append('{');
                List<ValueType.Variable> variables = section.variables();
                for (int index = 0; index < variables.size(); index++) {
                    ValueType.Variable variable = variables.get(index);
                    out.append(index == 0 ? "" : ", ").append(quote(variable.name())).append(": ");
                    value(variable.type(), offset + variable.offset(), out);
                }
                out.append('}');
            }
            // void, functions, forward declarations: no value a map could hold
            case ValueType.Opaque o -> out.append("null");
        }
    }

    /** Appends {@code "name": value} pairs; returns whether none was written yet. */
    private boolean fields(List<ValueType.Field> fields, long offset, StringBuilder out, boolean first) {
        for (ValueType.Field field : fields) {
            if (field.name().isEmpty() && field.type() instanceof ValueType.Struct inner) {
                first = fields(inner.fields(), offset + field.offset(), out, first);
                continue;
            }
            out.append(first ? "" : ", ").append(quote(field.name())).append(": ");
            first = false;
            if (field.bitfieldSize() != 0) {
                out.append(bits(offset * 8 + field.bitOffset(), field.bitfieldSize(), signed(field.type())));
            } else {
                value(field.type(), offset + field.offset(), out);
            }
        }
        return first;
    }

    /** Whether an integer or enum type is signed (anything else reads as unsigned bytes). */
    static boolean signed(ValueType type) {
        return switch (type) {
            case ValueType.Int i -> i.signed();
            case ValueType.Enum e -> e.signed();
            default -> false;
        };
    }

    /**
     * The {@code count} bits starting at bit {@code start} of the value (little-endian: bit {@code n}
     * is bit {@code n % 8} of byte {@code n / 8}), sign-extended when {@code signed}.
     */
    private BigInteger bits(long start, int count, boolean signed) {
        if (count == 0) {
            return BigInteger.ZERO;
        }
        int first = Math.toIntExact(start / 8);
        int last = Math.toIntExact((start + count - 1) / 8);
        if (last >= bytes.length) {
            throw new IllegalArgumentException("the map's BTF places a value past its " + bytes.length + " bytes");
        }
        byte[] magnitude = new byte[last - first + 2]; // big-endian, with a leading zero byte: never negative
        for (int i = first; i <= last; i++) {
            magnitude[magnitude.length - 1 - (i - first)] = bytes[i];
        }
        BigInteger value = new BigInteger(magnitude).shiftRight((int) (start % 8))
                .and(BigInteger.ONE.shiftLeft(count).subtract(BigInteger.ONE));
        return signed && value.testBit(count - 1) ? value.subtract(BigInteger.ONE.shiftLeft(count)) : value;
    }

    /** A finite float as a JSON number; NaN and infinities, which JSON lacks, and long doubles as strings. */
    private String floating(ValueType.Float type, long offset) {
        BigInteger raw = bits(offset * 8, (int) type.size() * 8, false);
        String value = switch ((int) type.size()) {
            case 4 -> Float.toString(Float.intBitsToFloat(raw.intValue()));
            case 8 -> Double.toString(Double.longBitsToDouble(raw.longValue()));
            default -> "0x" + raw.toString(16);
        };
        boolean number = !value.startsWith("0x") && !value.contains("N") && !value.contains("I");
        return number ? value : quote(value);
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.contract.ValueType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes bytes by their {@link ValueType} (from a map's or an object's BTF) into {@link Value}s:
 * integers exactly (bitfields included, sign-extended where signed), {@code _Bool} as a boolean,
 * enums and pointers as numbers, arrays (char arrays too) as lists, structs, unions and sections by
 * field name. The fields of an anonymous struct or union field appear in the enclosing value, as C
 * code names them. The bytes are in the host's order, as the kernel hands them out.
 */
final class ValueDecoder {

    private final byte[] bytes;

    /** Decodes values out of {@code bytes}. */
    ValueDecoder(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The value of {@code type} at byte {@code offset}. */
    Value decode(ValueType type, long offset) {
        return switch (type) {
            case ValueType.Int i when i.bool() -> new Value.Bool(bits(offset * 8 + i.bitOffset(), i.bits(), false).signum() != 0);
            case ValueType.Int i -> new Value.Whole(bits(offset * 8 + i.bitOffset(), i.bits(), i.signed()));
            case ValueType.Enum e -> new Value.Whole(bits(offset * 8, (int) e.size() * 8, e.signed()));
            case ValueType.Pointer p -> new Value.Whole(bits(offset * 8, 64, false));
            case ValueType.Float f -> floating(f, offset);
            case ValueType.Array a -> {
                List<Value> items = new ArrayList<>(a.length());
                for (int index = 0; index < a.length(); index++) {
                    items.add(decode(a.element(), offset + index * a.element().size()));
                }
                yield new Value.Items(items);
            }
            case ValueType.Struct s -> {
                List<Value.Field> fields = new ArrayList<>();
                fields(s.fields(), offset, fields);
                yield new Value.Fields(fields);
            }
            case ValueType.Section section -> new Value.Fields(section.variables().stream()
                    .map(v -> new Value.Field(v.name(), decode(v.type(), offset + v.offset()))).toList());
            // void, functions, forward declarations: no value a map could hold
            case ValueType.Opaque o -> new Value.None();
        };
    }

    /** Adds the fields of a struct at {@code offset}, those of its anonymous members in its place. */
    private void fields(List<ValueType.Field> fields, long offset, List<Value.Field> out) {
        for (ValueType.Field field : fields) {
            if (field.name().isEmpty() && field.type() instanceof ValueType.Struct inner) {
                fields(inner.fields(), offset + field.offset(), out);
            } else if (field.bitfieldSize() != 0) {
                out.add(new Value.Field(field.name(),
                        new Value.Whole(bits(offset * 8 + field.bitOffset(), field.bitfieldSize(), signed(field.type())))));
            } else {
                out.add(new Value.Field(field.name(), decode(field.type(), offset + field.offset())));
            }
        }
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

    /** A float or double in Java's spelling; a long double, which Java has no type for, as its bits in hex. */
    private Value floating(ValueType.Float type, long offset) {
        BigInteger raw = bits(offset * 8, (int) type.size() * 8, false);
        String text = switch ((int) type.size()) {
            case 4 -> Float.toString(Float.intBitsToFloat(raw.intValue()));
            case 8 -> Double.toString(Double.longBitsToDouble(raw.longValue()));
            default -> "0x" + raw.toString(16);
        };
        return new Value.Real(text, !text.startsWith("0x") && !text.contains("N") && !text.contains("I"));
    }
}

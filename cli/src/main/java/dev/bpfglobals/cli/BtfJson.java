package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import java.math.BigInteger;

/**
 * Values as JSON, decoded by their BTF type: integers as exact numbers (unsigned ones beyond
 * {@code Long.MAX_VALUE} too, bitfields included), {@code _Bool} as {@code true}/{@code false},
 * enums and pointers as numbers, arrays (char arrays too) as lists, structs and unions as objects
 * keyed by member name. The members of an anonymous struct or union member appear in the enclosing
 * object, as C code names them. The bytes are in the host's order, as the kernel hands them out.
 */
final class BtfJson {

    private final Btf btf;
    private final byte[] bytes;

    /** Decodes values of {@code btf}'s types out of {@code bytes}. */
    BtfJson(Btf btf, byte[] bytes) {
        this.btf = btf;
        this.bytes = bytes;
    }

    /** The value of type {@code typeId} at byte {@code offset}, as JSON. */
    String value(int typeId, int offset) {
        StringBuilder out = new StringBuilder();
        value(typeId, offset, out);
        return out.toString();
    }

    private void value(int typeId, int offset, StringBuilder out) {
        BtfType type = btf.type(btf.resolve(typeId));
        switch (type) {
            case BtfType.Int i when i.bool() -> out.append(bits(offset * 8L + i.bitOffset(), i.bits(), false).signum() != 0);
            case BtfType.Int i -> out.append(bits(offset * 8L + i.bitOffset(), i.bits(), i.signed()));
            case BtfType.Enum e -> out.append(bits(offset * 8L, e.size() * 8, e.signed()));
            case BtfType.Enum64 e -> out.append(bits(offset * 8L, e.size() * 8, e.signed()));
            case BtfType.Ptr p -> out.append(bits(offset * 8L, 64, false));
            case BtfType.Float f -> out.append(floating(f, offset));
            case BtfType.Var v -> value(v.type(), offset, out);
            case BtfType.Array a -> {
                long elementSize = btf.sizeOf(a.elementType());
                out.append('[');
                for (int index = 0; index < a.length(); index++) {
                    out.append(index == 0 ? "" : ", ");
                    value(a.elementType(), Math.toIntExact(offset + index * elementSize), out);
                }
                out.append(']');
            }
            case BtfType.Struct s -> object(s.members(), offset, out);
            case BtfType.Union u -> object(u.members(), offset, out);
            case BtfType.Datasec d -> {
                out.append('{');
                for (int index = 0; index < d.entries().size(); index++) {
                    BtfType.VarSecinfo entry = d.entries().get(index);
                    out.append(index == 0 ? "" : ", ").append(quote(btf.type(entry.type()).name())).append(": ");
                    value(entry.type(), offset + entry.offset(), out);
                }
                out.append('}');
            }
            // void, functions, forward declarations: no value a map could hold
            default -> out.append("null");
        }
    }

    private void object(java.util.List<BtfType.Member> members, int offset, StringBuilder out) {
        out.append('{');
        members(members, offset, out, true);
        out.append('}');
    }

    /** Appends {@code "name": value} pairs; returns whether none was written yet. */
    private boolean members(java.util.List<BtfType.Member> members, int offset, StringBuilder out, boolean first) {
        for (BtfType.Member member : members) {
            BtfType type = btf.type(btf.resolve(member.type()));
            if (member.name().isEmpty() && (type instanceof BtfType.Struct || type instanceof BtfType.Union)) {
                java.util.List<BtfType.Member> inner = type instanceof BtfType.Struct s ? s.members() : ((BtfType.Union) type).members();
                first = members(inner, offset + member.bitOffset() / 8, out, first);
                continue;
            }
            out.append(first ? "" : ", ").append(quote(member.name())).append(": ");
            first = false;
            if (member.bitfieldSize() != 0) {
                out.append(bits(offset * 8L + member.bitOffset(), member.bitfieldSize(), signed(type)));
            } else {
                value(member.type(), offset + member.bitOffset() / 8, out);
            }
        }
        return first;
    }

    /** Whether an integer or enum type is signed (anything else reads as unsigned bytes). */
    static boolean signed(BtfType type) {
        return switch (type) {
            case BtfType.Int i -> i.signed();
            case BtfType.Enum e -> e.signed();
            case BtfType.Enum64 e -> e.signed();
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
    private String floating(BtfType.Float type, int offset) {
        BigInteger raw = bits(offset * 8L, type.size() * 8, false);
        String value = switch (type.size()) {
            case 4 -> Float.toString(Float.intBitsToFloat(raw.intValue()));
            case 8 -> Double.toString(Double.longBitsToDouble(raw.longValue()));
            default -> "0x" + raw.toString(16);
        };
        boolean number = !value.startsWith("0x") && !value.contains("N") && !value.contains("I");
        return number ? value : quote(value);
    }
}

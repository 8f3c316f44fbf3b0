package dev.bpfglobals.cli;

import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.GlobalVariable;
import dev.bpfglobals.runtime.ObjectSpec;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code load --set SECTION.VAR=VALUE}: edits of global variables in an object's initial images,
 * made before load (as cilium/ebpf's {@code VariableSpec} and libbpf skeletons do), each checked
 * against the variable's C type from the object's BTF. Only scalars can be set: integers, enums and
 * {@code _Bool}; anything else is refused naming the variable and its type.
 */
final class GlobalEdits {

    private static final Pattern INTEGER = Pattern.compile("-?(0[xX][0-9a-fA-F]+|[0-9]+)");

    private final ObjectSpec object;
    /** The images edited so far, by section, so that several edits of one section add up. */
    private final Map<String, byte[]> images = new LinkedHashMap<>();
    private final List<String> described = new ArrayList<>();

    GlobalEdits(ObjectSpec object) {
        this.object = object;
    }

    /**
     * Applies {@code SECTION.VAR=VALUE}.
     *
     * @throws IllegalArgumentException naming the section, variable or value at fault
     */
    void apply(String edit) {
        int equals = edit.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("--set " + edit + ": expected SECTION.VAR=VALUE, e.g. .percpu.limit=5");
        }
        String target = edit.substring(0, equals);
        String text = edit.substring(equals + 1);
        GlobalSection section = section(target);
        String name = target.substring(section.name().length() + 1);
        if (object.rawBtf().isEmpty()) {
            throw new IllegalArgumentException("--set " + target
                    + ": the object has no BTF, so the C type of '" + name + "' is unknown (compile it with -g)");
        }
        ValueType.Variable entry = variable(section, name);
        ValueType type = entry.type();
        String cType = type.cName();
        BigInteger value = parse(target, cType, type, text);
        byte[] image = images.computeIfAbsent(section.name(), s -> section.initialImage());
        int offset = Math.toIntExact(entry.offset());
        int size = Math.toIntExact(entry.size());
        BigInteger was = read(image, offset, size);
        write(image, offset, size, value);
        String previous = type instanceof ValueType.Int i && i.bool() ? String.valueOf(was.signum() != 0)
                : (ValueDecoder.signed(type) ? signedValue(was, size) : was).toString();
        described.add("set " + target + " = " + text + " (" + cType + ", was " + previous + ")");
    }

    /** The object with every edited image in place. */
    ObjectSpec result() {
        ObjectSpec edited = object;
        for (Map.Entry<String, byte[]> image : images.entrySet()) {
            edited = edited.withGlobalImage(image.getKey(), image.getValue());
        }
        return edited;
    }

    /** One line per edit: what was set, its C type and the value it replaced. */
    List<String> described() {
        return described;
    }

    /** The section is the longest prefix of {@code target} naming a global section, followed by {@code .VAR}. */
    private GlobalSection section(String target) {
        GlobalSection best = null;
        for (GlobalSection candidate : object.globalSections()) {
            if (target.startsWith(candidate.name() + ".") && target.length() > candidate.name().length() + 1
                    && (best == null || candidate.name().length() > best.name().length())) {
                best = candidate;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("--set " + target + ": no global section of the object starts it; the object has "
                    + object.globalSections().stream().map(GlobalSection::name).toList() + " (write SECTION.VAR, e.g. .percpu.limit)");
        }
        return best;
    }

    private ValueType.Variable variable(GlobalSection section, String name) {
        for (ValueType.Variable entry : object.sectionType(section.name()).map(ValueType.Section::variables).orElse(List.of())) {
            if (entry.name().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("--set " + section.name() + "." + name + ": section " + section.name()
                + " has no variable '" + name + "'; it has " + section.variables().stream().map(GlobalVariable::name).toList());
    }

    private static BigInteger parse(String target, String cType, ValueType type, String text) {
        if (type instanceof ValueType.Int i && i.bool()) {
            return switch (text) {
                case "true", "1" -> BigInteger.ONE;
                case "false", "0" -> BigInteger.ZERO;
                default -> throw new IllegalArgumentException("--set " + target + "=" + text + ": " + target
                        + " is a _Bool; give true or false");
            };
        }
        int size = switch (type) {
            case ValueType.Int i -> (int) i.size();
            case ValueType.Enum e -> (int) e.size();
            default -> throw new IllegalArgumentException("--set " + target + ": " + target + " is " + describe(type, cType)
                    + ", not a scalar; --set takes integers, enums and _Bool");
        };
        BigInteger value = enumerator(type, text);
        if (value == null) {
            if (!INTEGER.matcher(text).matches()) {
                throw new IllegalArgumentException("--set " + target + "=" + text + ": '" + text
                        + "' is not an integer (decimal, 0x hex, optionally negative)" + (type instanceof ValueType.Int ? "" : " or a constant of " + cType));
            }
            boolean negative = text.startsWith("-");
            String digits = negative ? text.substring(1) : text;
            value = digits.startsWith("0x") || digits.startsWith("0X")
                    ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
            value = negative ? value.negate() : value;
        }
        int bits = size * 8;
        BigInteger min = ValueDecoder.signed(type) ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = ValueDecoder.signed(type) ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("--set " + target + "=" + text + ": out of range for " + cType + " ("
                    + min + " to " + max + ")");
        }
        return value;
    }

    /** The value of the enum constant named {@code text}, or null. */
    private static BigInteger enumerator(ValueType type, String text) {
        if (type instanceof ValueType.Enum e) {
            return e.constants().stream().filter(v -> v.name().equals(text)).findFirst()
                    .map(v -> e.signed() ? BigInteger.valueOf(v.value()) : new BigInteger(Long.toUnsignedString(v.value())))
                    .orElse(null);
        }
        return null;
    }


    private static String describe(ValueType type, String cType) {
        String what = switch (type) {
            case ValueType.Struct s -> s.union() ? "a union" : "a struct";
            case ValueType.Array a -> "an array";
            case ValueType.Pointer p -> "a pointer";
            case ValueType.Float f -> "floating point";
            default -> "a " + type.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
        };
        return what + " (" + cType + ")";
    }

    /** The unsigned value of {@code size} bytes at {@code offset}, in the object's byte order. */
    private BigInteger read(byte[] image, int offset, int size) {
        byte[] big = new byte[size + 1];
        for (int i = 0; i < size; i++) {
            big[size - i] = image[offset + index(i, size)];
        }
        return new BigInteger(big);
    }

    private void write(byte[] image, int offset, int size, BigInteger value) {
        for (int i = 0; i < size; i++) {
            image[offset + index(i, size)] = value.shiftRight(8 * i).byteValue();
        }
    }

    /** Where byte {@code i} (0 = least significant) of a {@code size}-byte integer sits. */
    private int index(int i, int size) {
        return object.byteOrder() == ByteOrder.LITTLE_ENDIAN ? i : size - 1 - i;
    }

    private static BigInteger signedValue(BigInteger unsigned, int size) {
        return unsigned.testBit(size * 8 - 1) ? unsigned.subtract(BigInteger.ONE.shiftLeft(size * 8)) : unsigned;
    }
}

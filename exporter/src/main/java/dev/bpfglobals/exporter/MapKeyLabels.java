package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * How a hash map's key becomes labels, as ebpf_exporter's decoders make them: each member of a
 * struct key is one label named after the member (an integer in decimal, an enum by its constant's
 * name, a {@code char} array as the string up to its first NUL, a {@code __u8} array, such as an
 * address, in hex), and a scalar key is one label,
 * {@code key}. Given names replace those, in member order. A key without BTF is one unsigned integer
 * of the key's size, if that is 1, 2, 4 or 8 bytes.
 *
 * <p>What cannot be one label (a nested struct, a pointer, a float, an array of anything but
 * bytes) is refused when the map is opened, naming the member: leaving it out would make
 * two keys one series.
 */
final class MapKeyLabels {

    /** One label: where its bytes are in the key and how to read them. */
    private record Part(String member, long offset, ValueType type, long bitOffset, int bitfieldSize) {
    }

    private final List<Part> parts;
    private final List<String> names;

    private MapKeyLabels(List<Part> parts, List<String> names) {
        this.parts = parts;
        this.names = names;
    }

    /**
     * The labels of keys of {@code keyType} ({@code keySize} bytes, when there is no BTF), named
     * {@code givenNames} if not empty.
     *
     * @throws IllegalArgumentException one line naming the member that cannot be a label, a name
     *                                  Prometheus does not allow, or a count of names that does not match
     */
    static MapKeyLabels of(String mapName, Optional<ValueType> keyType, int keySize, List<String> givenNames, List<String> reserved) {
        List<Part> parts = new ArrayList<>();
        if (keyType.isEmpty()) {
            if (keySize != 1 && keySize != 2 && keySize != 4 && keySize != 8) {
                throw new IllegalArgumentException("map '" + mapName + "' has no BTF key type and a " + keySize
                        + "-byte key; only a key of 1, 2, 4 or 8 bytes is read without BTF (as an unsigned integer)");
            }
            parts.add(new Part("key", 0, new ValueType.Int("u" + keySize * 8, keySize, false, false, 0, keySize * 8), 0, 0));
        } else if (keyType.get() instanceof ValueType.Struct struct && !struct.union()) {
            for (ValueType.Field field : struct.fields()) {
                if (field.name().isEmpty() || !labelType(field.type())) {
                    throw new IllegalArgumentException("map '" + mapName + "': key member '" + field.name() + "' of "
                            + struct.cName() + " is a " + field.type().cName()
                            + "; only integers, enums and byte arrays become labels");
                }
                parts.add(new Part(field.name(), field.offset(), field.type(), field.bitOffset() % 8, field.bitfieldSize()));
            }
        } else if (labelType(keyType.get())) {
            parts.add(new Part("key", 0, keyType.get(), 0, 0));
        } else {
            throw new IllegalArgumentException("map '" + mapName + "' has a key of " + keyType.get().cName()
                    + "; only an integer, enum, char array or a struct of those becomes labels");
        }
        List<String> names = givenNames.isEmpty() ? parts.stream().map(Part::member).toList() : List.copyOf(givenNames);
        if (names.size() != parts.size()) {
            throw new IllegalArgumentException("map '" + mapName + "': labels= names " + names.size() + " labels but its key has "
                    + parts.size() + " parts (" + String.join(", ", parts.stream().map(Part::member).toList()) + ")");
        }
        HashSet<String> seen = new HashSet<>(reserved);
        for (String name : names) {
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*") || name.startsWith("__")) {
                throw new IllegalArgumentException("map '" + mapName + "': '" + name + "' is not a Prometheus label name"
                        + " ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __); give labels=");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("map '" + mapName + "': label '" + name + "' is used twice (or is "
                        + String.join("/", reserved) + "); give labels= other names");
            }
        }
        return new MapKeyLabels(List.copyOf(parts), names);
    }

    private static boolean labelType(ValueType type) {
        return switch (type) {
            case ValueType.Int integer -> integer.size() <= 8;
            case ValueType.Enum enumeration -> enumeration.size() <= 8;
            case ValueType.Array array -> array.element() instanceof ValueType.Int element && element.size() == 1 && !element.bool();
            default -> false;
        };
    }

    /** A BPF object's {@code char} is signed (as {@code -target bpf} makes it), and its BTF reads as {@code __s8}. */
    private static boolean isChar(ValueType.Array array) {
        return ((ValueType.Int) array.element()).signed();
    }

    /** The label names, in key member order. */
    List<String> names() {
        return names;
    }

    /** The label values of {@code key}, in the order of {@link #names()}. */
    String[] values(MemorySegment key) {
        String[] values = new String[parts.size()];
        for (int i = 0; i < values.length; i++) {
            Part part = parts.get(i);
            values[i] = switch (part.type()) {
                case ValueType.Array array -> isChar(array) ? string(key.asSlice(part.offset(), array.length()))
                        : HexFormat.of().formatHex(key.asSlice(part.offset(), array.length()).toArray(ValueLayout.JAVA_BYTE));
                case ValueType.Enum enumeration -> {
                    long raw = integer(key, part.offset(), (int) enumeration.size(), enumeration.signed(), 0, 0);
                    yield enumeration.constants().stream().filter(c -> c.value() == raw).map(ValueType.Constant::name)
                            .findFirst().orElse(Long.toString(raw));
                }
                case ValueType.Int integer -> {
                    long raw = integer(key, part.offset(), (int) integer.size(), integer.signed(),
                            part.bitOffset() + integer.bitOffset(), part.bitfieldSize());
                    yield integer.signed() ? Long.toString(raw) : Long.toUnsignedString(raw);
                }
                default -> throw new IllegalStateException("not a label type: " + part.type().cName());
            };
        }
        return values;
    }

    /** The integer of {@code size} bytes at {@code offset}, its bitfield of {@code bits} at {@code bitOffset} if bits > 0. */
    private static long integer(MemorySegment key, long offset, int size, boolean signed, long bitOffset, int bits) {
        long raw = 0;
        int bytes = bits > 0 ? (int) Math.min(8, (bitOffset + bits + 7) / 8) : size;
        for (int b = bytes - 1; b >= 0; b--) {
            raw = raw << 8 | (key.get(ValueLayout.JAVA_BYTE, offset + b) & 0xff); // BPF is little-endian on x86 and arm64
        }
        int width = bits > 0 ? bits : size * 8;
        if (bits > 0) {
            raw >>>= bitOffset;
        }
        if (width < 64) {
            raw &= (1L << width) - 1;
            if (signed && (raw >>> (width - 1) & 1) == 1) {
                raw |= -1L << width;
            }
        }
        return raw;
    }

    /**
     * The string in a {@code char} array, to its first NUL: valid UTF-8 as is, but each byte of an
     * invalid sequence, and each control character, as {@code \xNN}, so that no label value holds
     * a byte a reader cannot show. (The text format escapes {@code \}, {@code "} and newlines itself.)
     */
    static String string(MemorySegment chars) {
        byte[] bytes = chars.toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
            StringBuilder shown = new StringBuilder(text.length());
            text.chars().forEach(c -> {
                if (c < 0x20 || c == 0x7f) {
                    shown.append(String.format("\\x%02x", c));
                } else {
                    shown.append((char) c);
                }
            });
            return shown.toString();
        } catch (CharacterCodingException notUtf8) {
            StringBuilder shown = new StringBuilder(length * 4);
            for (int i = 0; i < length; i++) {
                int b = bytes[i] & 0xff;
                if (b >= 0x20 && b < 0x7f) {
                    shown.append((char) b);
                } else {
                    shown.append(String.format("\\x%02x", b));
                }
            }
            return shown.toString();
        }
    }
}

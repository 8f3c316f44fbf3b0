package dev.bpfglobals.runtime.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The type table of a BTF blob, read lazily by id. Every offset and count is checked against the
 * input and reference chains are bounded, so broken BTF ends in a {@link BtfFormatException}.
 */
public final class BtfTypes {

    public static final int KIND_INT = 1;
    public static final int KIND_PTR = 2;
    public static final int KIND_ARRAY = 3;
    public static final int KIND_STRUCT = 4;
    public static final int KIND_UNION = 5;
    public static final int KIND_VAR = 14;
    public static final int KIND_DATASEC = 15;
    /** Bound on typedef/const chains, far above real BTF, so a loop cannot hang a reader. */
    private static final int MAX_CHAIN = 64;

    private final ByteBuffer buffer;
    private final int stringsStart;
    private final int stringsEnd;
    /** Byte position of each type's record, indexed by type id (id 0 is void). */
    private final int[] typeStarts;

    /** Parses the header and indexes every type. */
    public BtfTypes(byte[] btf) {
        if (btf.length < 24) {
            throw new BtfFormatException("only " + btf.length + " bytes, the header alone is 24");
        }
        ByteBuffer probe = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        ByteOrder order = (probe.getShort(0) & 0xffff) == SectionBtfWriter.MAGIC ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        buffer = ByteBuffer.wrap(btf).order(order);
        if ((buffer.getShort(0) & 0xffff) != SectionBtfWriter.MAGIC) {
            throw new BtfFormatException("bad magic " + Integer.toHexString(buffer.getShort(0) & 0xffff));
        }
        long headerLength = Integer.toUnsignedLong(buffer.getInt(4));
        long typesStart = headerLength + Integer.toUnsignedLong(buffer.getInt(8));
        long typesEnd = typesStart + Integer.toUnsignedLong(buffer.getInt(12));
        long strings = headerLength + Integer.toUnsignedLong(buffer.getInt(16));
        long stringsEnd = strings + Integer.toUnsignedLong(buffer.getInt(20));
        if (headerLength < 24 || typesEnd > btf.length || stringsEnd > btf.length) {
            throw new BtfFormatException("type or string section runs past the end (" + btf.length + " bytes)");
        }
        this.stringsStart = (int) strings;
        this.stringsEnd = (int) stringsEnd;
        List<Integer> starts = new ArrayList<>();
        starts.add(-1);
        int position = (int) typesStart;
        while (position < typesEnd) {
            if (position + 12 > typesEnd) {
                throw new BtfFormatException("type " + starts.size() + " is cut off at byte " + position);
            }
            starts.add(position);
            position += 12 + extraBytes(position);
            if (position > typesEnd) {
                throw new BtfFormatException("type " + (starts.size() - 1) + " runs past the type section");
            }
        }
        typeStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The number of types, void included. */
    public int count() {
        return typeStarts.length;
    }

    public int kind(int id) {
        return (buffer.getInt(start(id) + 4) >>> 24) & 0x1f;
    }

    public int vlen(int id) {
        return buffer.getInt(start(id) + 4) & 0xffff;
    }

    public String name(int id) {
        return string(buffer.getInt(start(id)));
    }

    /** The third word of the common part: a size for INT/STRUCT/DATASEC..., a type id for PTR/TYPEDEF/VAR. */
    public int sizeOrType(int id) {
        return buffer.getInt(start(id) + 8);
    }

    /** Word {@code word} of entry {@code index} of a type with {@code entryWords}-word entries after the common part. */
    public int entryWord(int id, int index, int entryWords, int word) {
        if (index < 0 || index >= vlen(id) || word >= entryWords) {
            throw new BtfFormatException("type " + id + " has no entry " + index);
        }
        return buffer.getInt(start(id) + 12 + 4 * (index * entryWords + word));
    }

    /** The element type and length of an ARRAY. */
    public int arrayElement(int id) {
        return buffer.getInt(start(id) + 12);
    }

    public int arrayLength(int id) {
        return buffer.getInt(start(id) + 20);
    }

    /** The id past typedefs and type modifiers. */
    public int resolve(int id) {
        int current = id;
        for (int depth = 0; depth <= MAX_CHAIN; depth++) {
            if (current == 0) {
                return 0;
            }
            int kind = kind(current);
            if (kind != 8 && kind != 9 && kind != 10 && kind != 11 && kind != 18) {
                return current;
            }
            current = sizeOrType(current);
        }
        throw new BtfFormatException("type reference chain longer than " + MAX_CHAIN + " at type " + id + " (a loop?)");
    }

    /** {@code sizeof} the type. */
    public int sizeOf(int id) {
        return sizeOf(id, 0);
    }

    private int sizeOf(int id, int depth) {
        if (depth > MAX_CHAIN) {
            throw new BtfFormatException("type reference chain longer than " + MAX_CHAIN + " at type " + id + " (a loop?)");
        }
        int resolved = resolve(id);
        return switch (kind(resolved)) {
            case 1, 4, 5, 6, 15, 19 -> sizeOrType(resolved);
            case 2 -> 8;
            case 3 -> Math.multiplyExact(arrayLength(resolved), sizeOf(arrayElement(resolved), depth + 1));
            default -> throw new BtfFormatException("type " + id + " of kind " + kind(resolved) + " has no size");
        };
    }

    /** The DATASEC with this name. */
    public OptionalInt datasec(String name) {
        for (int id = 1; id < typeStarts.length; id++) {
            if (kind(id) == KIND_DATASEC && name(id).equals(name)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    private int start(int id) {
        if (id <= 0 || id >= typeStarts.length) {
            throw new BtfFormatException("type id " + id + " out of range 1.." + (typeStarts.length - 1));
        }
        return typeStarts[id];
    }

    /** Bytes that follow the 12-byte common part of the type at {@code position}. */
    private int extraBytes(int position) {
        int vlen = buffer.getInt(position + 4) & 0xffff;
        int kind = (buffer.getInt(position + 4) >>> 24) & 0x1f;
        return switch (kind) {
            case 1, 14, 17 -> 4;            // INT, VAR, DECL_TAG
            case 3 -> 12;                   // ARRAY
            case 4, 5, 15, 19 -> 12 * vlen; // STRUCT, UNION, DATASEC, ENUM64
            case 6, 13 -> 8 * vlen;         // ENUM, FUNC_PROTO
            case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;
            default -> throw new BtfFormatException("unknown kind " + kind + " at byte " + position);
        };
    }

    /** The string at {@code offset} of the string section. */
    public String string(int offset) {
        int start = stringsStart + offset;
        if (offset < 0 || start >= stringsEnd) {
            throw new BtfFormatException("string offset " + offset + " out of range");
        }
        int end = start;
        while (end < stringsEnd && buffer.get(end) != 0) {
            end++;
        }
        return new String(buffer.array(), start, end - start, StandardCharsets.UTF_8);
    }
}

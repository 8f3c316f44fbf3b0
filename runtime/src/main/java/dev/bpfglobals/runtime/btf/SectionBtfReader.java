package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.MapType;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the layout a map's BTF gives its value: the variables of a DATASEC (global-data maps) or
 * the members of a STRUCT, with names, offsets and sizes. Every offset and count is checked
 * against the input, so hostile BTF ends in a {@link BtfFormatException}, never an index error.
 */
public final class SectionBtfReader {

    private static final int KIND_STRUCT = 4;
    private static final int KIND_UNION = 5;
    /** Bound on typedef/const chains, far above real BTF, so a loop cannot hang the reader. */
    private static final int MAX_CHAIN = 64;

    private final ByteBuffer buffer;
    private final int stringsStart;
    private final int stringsEnd;
    /** Byte position of each type's record, indexed by type id (id 0 is void). */
    private final int[] typeStarts;

    private SectionBtfReader(byte[] btf) {
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

    /**
     * The layout of value type {@code valueTypeId} in {@code btf}, as a section named
     * {@code sectionName}; C types are left empty, since BTF may spell them differently.
     */
    public static SectionContract valueLayout(byte[] btf, int valueTypeId, String sectionName, MapType mapType) {
        try {
            return read(btf, valueTypeId, sectionName, mapType);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // Sizes or offsets no compiler emits (negative, overflowing): one format error all the same.
            throw new BtfFormatException("value type " + valueTypeId + " has an impossible layout: " + e.getMessage());
        }
    }

    private static SectionContract read(byte[] btf, int valueTypeId, String sectionName, MapType mapType) {
        SectionBtfReader reader = new SectionBtfReader(btf);
        int position = reader.start(valueTypeId);
        int kind = reader.kind(position);
        int vlen = reader.vlen(position);
        int size = reader.buffer.getInt(position + 8);
        List<VariableContract> variables = new ArrayList<>();
        for (int i = 0; i < vlen; i++) {
            int entry = position + 12 + 12 * i;
            if (kind == SectionBtfWriter.KIND_DATASEC) {
                int var = reader.start(reader.buffer.getInt(entry));
                variables.add(new VariableContract(reader.string(reader.buffer.getInt(var)), "",
                        reader.buffer.getInt(entry + 4), reader.buffer.getInt(entry + 8), 1));
            } else if (kind == KIND_STRUCT || kind == KIND_UNION) {
                int memberType = reader.buffer.getInt(entry + 4);
                int bitOffset = reader.buffer.getInt(entry + 8) & 0xffffff;
                variables.add(new VariableContract(reader.string(reader.buffer.getInt(entry)), "", bitOffset / 8,
                        reader.sizeOf(memberType, 0), 1));
            } else {
                throw new BtfFormatException("value type " + valueTypeId + " is kind " + kind + ", not a DATASEC or STRUCT");
            }
        }
        return new SectionContract(sectionName, mapType, 4, size, 1, 1, variables);
    }

    private int start(int id) {
        if (id <= 0 || id >= typeStarts.length) {
            throw new BtfFormatException("type id " + id + " out of range 1.." + (typeStarts.length - 1));
        }
        return typeStarts[id];
    }

    private int kind(int position) {
        return (buffer.getInt(position + 4) >>> 24) & 0x1f;
    }

    private int vlen(int position) {
        return buffer.getInt(position + 4) & 0xffff;
    }

    /** Bytes that follow the 12-byte common part of the type at {@code position}. */
    private int extraBytes(int position) {
        int vlen = vlen(position);
        return switch (kind(position)) {
            case 1, 14, 17 -> 4;           // INT, VAR, DECL_TAG
            case 3 -> 12;                  // ARRAY
            case 4, 5, 15, 19 -> 12 * vlen; // STRUCT, UNION, DATASEC, ENUM64
            case 6, 13 -> 8 * vlen;        // ENUM, FUNC_PROTO
            case 2, 7, 8, 9, 10, 11, 12, 16, 18 -> 0;
            default -> throw new BtfFormatException("unknown kind " + kind(position) + " at byte " + position);
        };
    }

    private int sizeOf(int id, int depth) {
        if (depth > MAX_CHAIN) {
            throw new BtfFormatException("type reference chain longer than " + MAX_CHAIN + " at type " + id + " (a loop?)");
        }
        int position = start(id);
        return switch (kind(position)) {
            case 1, 4, 5, 6, 15, 19 -> buffer.getInt(position + 8);
            case 2 -> 8;
            case 3 -> Math.multiplyExact(buffer.getInt(position + 20), sizeOf(buffer.getInt(position + 12), depth + 1));
            case 8, 9, 10, 11, 18 -> sizeOf(buffer.getInt(position + 8), depth + 1);
            default -> throw new BtfFormatException("type " + id + " of kind " + kind(position) + " has no size");
        };
    }

    private String string(int offset) {
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

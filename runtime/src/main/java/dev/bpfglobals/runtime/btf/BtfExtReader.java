package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.internal.BoundedStrings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads a {@code .BTF.ext} section. Its names (section names, file names, source lines, CO-RE
 * access strings) are offsets into the string section of the object's {@code .BTF}, so both are
 * given. The input is untrusted: every bound, record size and count is checked, as in {@link BtfReader}.
 */
public final class BtfExtReader {

    private static final int HEADER_SIZE = 24;
    private static final int HEADER_SIZE_WITH_CORE = 32;
    /** Records grow only by appending fields; anything this large is not a record. */
    private static final int MAX_RECORD_SIZE = 256;
    private static final int MAX_SOURCE_LINE = 64 * 1024;

    private final ByteBuffer data;
    private final BoundedStrings strings;
    private final int headerLength;

    private BtfExtReader(ByteBuffer data, BoundedStrings strings, int headerLength) {
        this.data = data;
        this.strings = strings;
        this.headerLength = headerLength;
    }

    /**
     * Parses {@code ext} against the BTF {@code btf} whose strings it names.
     *
     * @throws BtfFormatException naming the problem, for malformed input in either
     */
    public static BtfExt read(byte[] ext, byte[] btf) {
        BoundedStrings strings = BtfReader.strings(ByteBuffer.wrap(btf));
        ByteBuffer data = ByteBuffer.wrap(ext);
        if (ext.length < HEADER_SIZE) {
            throw new BtfFormatException(".BTF.ext: only " + ext.length + " bytes; the header alone is " + HEADER_SIZE);
        }
        ByteOrder order = (data.order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xffff) == BtfReader.MAGIC
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        data.order(order);
        if ((data.getShort(0) & 0xffff) != BtfReader.MAGIC) {
            throw new BtfFormatException(String.format(".BTF.ext: magic 0x%04x is not 0xeb9f", data.getShort(0) & 0xffff));
        }
        if (data.get(2) != 1 || data.get(3) != 0) {
            throw new BtfFormatException(".BTF.ext: version " + data.get(2) + ", flags " + data.get(3) + "; only version 1 without flags exists");
        }
        long headerLength = Integer.toUnsignedLong(data.getInt(4));
        if (headerLength < HEADER_SIZE || headerLength > ext.length) {
            throw new BtfFormatException(".BTF.ext: header length " + headerLength + " is not between " + HEADER_SIZE
                    + " and the " + ext.length + " bytes given");
        }
        BtfExtReader reader = new BtfExtReader(data, strings, (int) headerLength);
        List<BtfExt.FuncInfo> funcs = reader.infos(8, "func_info", 8, (section, at) ->
                new BtfExt.FuncInfo(section.name, section.instruction(at), reader.data.getInt(at + 4)));
        List<BtfExt.LineInfo> lines = reader.infos(16, "line_info", 16, (section, at) -> {
            int lineColumn = reader.data.getInt(at + 12);
            return new BtfExt.LineInfo(section.name, section.instruction(at),
                    reader.string(at + 4, "line_info file name", 4096),
                    reader.string(at + 8, "line_info line", MAX_SOURCE_LINE), lineColumn >>> 10, lineColumn & 0x3ff);
        });
        List<BtfExt.CoreRelocation> core = headerLength >= HEADER_SIZE_WITH_CORE
                ? reader.infos(24, "core_relo", 16, (section, at) -> new BtfExt.CoreRelocation(section.name,
                        section.instruction(at), reader.data.getInt(at + 4), reader.string(at + 8, "CO-RE access string", 4096),
                        reader.data.getInt(at + 12)))
                : List.of();
        return new BtfExt(funcs, lines, core);
    }

    /** The ELF section a block of records belongs to. */
    private record Section(String name, ByteBuffer data, String what) {
        /** The record's {@code insn_off}, a byte offset, as an instruction index. */
        int instruction(int at) {
            long offset = Integer.toUnsignedLong(data.getInt(at));
            if (offset % 8 != 0 || offset / 8 > Integer.MAX_VALUE) {
                throw new BtfFormatException(".BTF.ext " + what + " of section " + name + ": instruction offset " + offset
                        + " is not a multiple of 8");
            }
            return (int) (offset / 8);
        }
    }

    /**
     * The records of one info block: header words {@code headerWord} (offset) and the next (length)
     * locate it; it starts with the record size, then per section a name, a count and the records.
     */
    private <T> List<T> infos(int headerWord, String what, int minimumRecord, BiFunction<Section, Integer, T> record) {
        long offset = Integer.toUnsignedLong(data.getInt(headerWord));
        long length = Integer.toUnsignedLong(data.getInt(headerWord + 4));
        List<T> out = new ArrayList<>();
        if (length == 0) {
            return out;
        }
        long start = headerLength + offset;
        long end = start + length;
        if (end > data.capacity() || length < 4 || offset % 4 != 0) {
            throw new BtfFormatException(".BTF.ext " + what + " at " + offset + " with " + length
                    + " bytes is misaligned or runs past the " + data.capacity() + "-byte section");
        }
        long recordSize = Integer.toUnsignedLong(data.getInt((int) start));
        if (recordSize < minimumRecord || recordSize > MAX_RECORD_SIZE || recordSize % 4 != 0) {
            throw new BtfFormatException(".BTF.ext " + what + ": record size " + recordSize + " is not a multiple of 4 between "
                    + minimumRecord + " and " + MAX_RECORD_SIZE);
        }
        long at = start + 4;
        while (at < end) {
            if (end - at < 8) {
                throw new BtfFormatException(".BTF.ext " + what + ": section header at byte " + at + " is cut off");
            }
            String name = strings.at(Integer.toUnsignedLong(data.getInt((int) at)), ".BTF.ext " + what + " section name");
            long count = Integer.toUnsignedLong(data.getInt((int) at + 4));
            at += 8;
            if (count == 0 || count > (end - at) / recordSize) {
                throw new BtfFormatException(".BTF.ext " + what + " of section " + name + ": " + count + " records of "
                        + recordSize + " bytes do not fit the " + (end - at) + " bytes left");
            }
            Section section = new Section(name, data, what);
            for (long i = 0; i < count; i++, at += recordSize) {
                out.add(record.apply(section, (int) at));
            }
        }
        return out;
    }

    private String string(int at, String what, int maxLength) {
        return strings.at(Integer.toUnsignedLong(data.getInt(at)), ".BTF.ext " + what, maxLength);
    }
}

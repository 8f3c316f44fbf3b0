package dev.bpfglobals.runtime.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The checked {@code struct btf_header} of untrusted BTF: byte order, and where the type and string
 * sections lie in the input, each bound checked against the bytes given.
 */
record BtfHeader(ByteOrder order, int typesStart, int typesEnd, int stringsStart, int stringsLength) {

    static BtfHeader read(ByteBuffer data) {
        return read(data, false);
    }

    /**
     * The header; {@code split} for split BTF, whose string section continues its base's, so
     * it may be empty and need not start with the NUL that only the base's offset 0 names.
     */
    static BtfHeader read(ByteBuffer data, boolean split) {
        if (data.remaining() < BtfReader.HEADER_SIZE) {
            throw new BtfFormatException("only " + data.remaining() + " bytes; the header alone is " + BtfReader.HEADER_SIZE);
        }
        ByteOrder order = (data.order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xffff) == BtfReader.MAGIC
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        data.order(order);
        if ((data.getShort(0) & 0xffff) != BtfReader.MAGIC) {
            throw new BtfFormatException(String.format("magic 0x%04x at byte 0 is not 0xeb9f in either byte order",
                    data.getShort(0) & 0xffff));
        }
        if (data.get(2) != 1) {
            throw new BtfFormatException("version " + (data.get(2) & 0xff) + " at byte 2; only version 1 exists");
        }
        if (data.get(3) != 0) {
            throw new BtfFormatException("flags 0x" + Integer.toHexString(data.get(3) & 0xff) + " at byte 3; none are defined");
        }
        long headerLength = BtfReader.u32(data, 4);
        if (headerLength < BtfReader.HEADER_SIZE || headerLength > data.remaining()) {
            throw new BtfFormatException("header length " + headerLength + " is not between " + BtfReader.HEADER_SIZE
                    + " and the " + data.remaining() + " bytes given");
        }
        for (int i = BtfReader.HEADER_SIZE; i < headerLength; i++) {
            if (data.get(i) != 0) {
                throw new BtfFormatException("header byte " + i + " is not zero: a newer BTF header this reader does not know");
            }
        }
        long available = data.remaining() - headerLength;
        long typeOffset = BtfReader.u32(data, 8);
        long typeLength = BtfReader.u32(data, 12);
        long stringOffset = BtfReader.u32(data, 16);
        long stringLength = BtfReader.u32(data, 20);
        if (typeOffset % 4 != 0 || typeOffset + typeLength > available) {
            throw new BtfFormatException("type section at " + typeOffset + " with " + typeLength + " bytes is misaligned or "
                    + "runs past the " + available + " bytes after the header");
        }
        if (stringOffset + stringLength > available) {
            throw new BtfFormatException("string section at " + stringOffset + " with " + stringLength
                    + " bytes runs past the " + available + " bytes after the header");
        }
        int stringsStart = (int) (headerLength + stringOffset);
        if (split ? stringLength > 0 && data.get(stringsStart + (int) stringLength - 1) != 0
                : stringLength == 0 || data.get(stringsStart) != 0 || data.get(stringsStart + (int) stringLength - 1) != 0) {
            throw new BtfFormatException(split ? "the split BTF's string section must end with a NUL byte"
                    : "the string section must start and end with a NUL byte");
        }
        if (typeOffset < stringOffset + stringLength && stringOffset < typeOffset + typeLength) {
            throw new BtfFormatException("the type and string sections overlap");
        }
        int typesStart = (int) (headerLength + typeOffset);
        return new BtfHeader(order, typesStart, typesStart + (int) typeLength, stringsStart, (int) stringLength);
    }
}

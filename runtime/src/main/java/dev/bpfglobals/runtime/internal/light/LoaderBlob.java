package dev.bpfglobals.runtime.internal.light;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The loader program's data: every attribute struct it hands {@code bpf_sys_bpf}, and the bytes
 * those point at (instructions, licenses, initial values, BTF, {@code fd_array}), laid out once
 * and stored as the one value of the loader's ARRAY map. Offsets are 8-aligned, because the
 * attributes hold 64-bit pointers that the program writes in place.
 */
final class LoaderBlob {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** Appends {@code data} at the next 8-aligned offset; returns that offset. */
    int put(byte[] data) {
        align();
        int offset = bytes.size();
        bytes.write(data, 0, data.length);
        return offset;
    }

    /** Appends {@code size} zero bytes; returns their offset. */
    int reserve(int size) {
        return put(new byte[size]);
    }

    /** Appends a NUL-terminated ASCII string. */
    int putString(String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        byte[] terminated = new byte[ascii.length + 1];
        System.arraycopy(ascii, 0, terminated, 0, ascii.length);
        return put(terminated);
    }

    /** Appends instructions as the kernel reads them (little-endian 64-bit words). */
    int putInstructions(long[] instructions) {
        ByteBuffer buffer = ByteBuffer.allocate(instructions.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long instruction : instructions) {
            buffer.putLong(instruction);
        }
        return put(buffer.array());
    }

    /** Appends an attribute struct (a {@code union bpf_attr} prefix), already filled. */
    int putAttr(Attr attr) {
        return put(attr.buffer.array());
    }

    /** {@return the blob's bytes, padded to 8} */
    byte[] toBytes() {
        align();
        return bytes.toByteArray();
    }

    private void align() {
        while (bytes.size() % 8 != 0) {
            bytes.write(0);
        }
    }

    /** One attribute struct being filled: the static fields; pointers and fds are written at run time. */
    static final class Attr {
        private final ByteBuffer buffer;

        Attr(int size) {
            buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        Attr putInt(int offset, int value) {
            buffer.putInt(offset, value);
            return this;
        }

        Attr putLong(int offset, long value) {
            buffer.putLong(offset, value);
            return this;
        }

        /** An object name ({@code map_name}, {@code prog_name}): at most 15 bytes and a NUL. */
        Attr putName(int offset, String name) {
            byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
            buffer.put(offset, ascii, 0, Math.min(ascii.length, 15));
            return this;
        }

        int size() {
            return buffer.capacity();
        }
    }
}

package dev.bpfglobals.runtime.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-assembled BTF bytes for inputs no writer would produce: loops, bad counts, broken headers. */
final class RawBtf {

    private RawBtf() {
    }

    /** The {@code info} word of a type. */
    static int info(BtfKind kind, int vlen) {
        return kind.number() << 24 | vlen;
    }

    /** A version-1 BTF of the given type-section words and string section, in {@code order}. */
    static byte[] of(ByteOrder order, String strings, int... typeWords) {
        byte[] text = strings.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(24 + 4 * typeWords.length + text.length).order(order);
        out.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(4 * typeWords.length).putInt(4 * typeWords.length).putInt(text.length);
        for (int word : typeWords) {
            out.putInt(word);
        }
        return out.put(text).array();
    }

    /** The same in the host's order. */
    static byte[] of(String strings, int... typeWords) {
        return of(ByteOrder.nativeOrder(), strings, typeWords);
    }
}

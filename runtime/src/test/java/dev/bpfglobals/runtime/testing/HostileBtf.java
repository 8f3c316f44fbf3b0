package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The BTF of the hostile review of issue #22, item 1: one variable typed by thousands of nested
 * one-element arrays and listed thousands of times in {@code .data}'s DATASEC, a few hundred
 * kilobytes that made {@code inspect} walk the chain once per entry; and an object carrying it.
 */
public final class HostileBtf {

    private static final String STRINGS = "\0int\0v\0.data\0";
    private static final int KIND_INT = 1;
    private static final int KIND_ARRAY = 3;
    private static final int KIND_CONST = 10;
    private static final int KIND_VAR = 14;
    private static final int KIND_DATASEC = 15;

    private HostileBtf() {
    }

    /**
     * Raw little-endian BTF: {@code int} (id 1), then {@code arrays} one-element arrays each of the
     * one before (ids 2 ...), a VAR {@code v} of the last, and a {@code .data} DATASEC listing it
     * {@code entries} times.
     */
    public static byte[] nestedArrays(int arrays, int entries) {
        int[] words = new int[4 + 6 * arrays + 4 + 3 + 3 * entries];
        int at = 0;
        at = put(words, at, 1, KIND_INT << 24, 4, 1 << 24 | 32); // "int": signed, 32 bits
        for (int i = 0; i < arrays; i++) {
            at = put(words, at, 0, KIND_ARRAY << 24, 0, i + 1, 1, 1); // element: the type before; index int; 1 element
        }
        return withVariable(words, at, arrays + 2, entries);
    }

    /**
     * Raw little-endian BTF as {@link #nestedArrays}, but the chain is {@code consts} CONST modifiers,
     * each of the one before: {@code const const ... int v}.
     */
    public static byte[] nestedConsts(int consts, int entries) {
        int[] words = new int[4 + 3 * consts + 4 + 3 + 3 * entries];
        int at = 0;
        at = put(words, at, 1, KIND_INT << 24, 4, 1 << 24 | 32);
        for (int i = 0; i < consts; i++) {
            at = put(words, at, 0, KIND_CONST << 24, i + 1);
        }
        return withVariable(words, at, consts + 2, entries);
    }

    /** Ends {@code words} with VAR {@code v} (id {@code var}) of the type before it and a DATASEC listing it {@code entries} times. */
    private static byte[] withVariable(int[] words, int at, int var, int entries) {
        at = put(words, at, 5, KIND_VAR << 24, var - 1, 1); // "v", global
        at = put(words, at, 7, KIND_DATASEC << 24 | entries, 4); // ".data", 4 bytes
        for (int i = 0; i < entries; i++) {
            at = put(words, at, var, 0, 4);
        }
        byte[] text = STRINGS.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(24 + 4 * words.length + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(4 * words.length).putInt(4 * words.length).putInt(text.length);
        for (int word : words) {
            out.putInt(word);
        }
        return out.put(text).array();
    }

    /**
     * BTF of one {@code __kconfig} extern {@code CONFIG_HUGE}: a {@code char} array of {@code length}
     * elements, listed in a {@code .kconfig} DATASEC; a few dozen bytes that claim a gibibyte.
     */
    public static byte[] kconfigArray(int length) {
        List<BtfType> types = List.of(new BtfType.Int("char", 1, BtfType.Int.CHAR, 0, 8), new BtfType.Array(1, 1, length),
                new BtfType.Var("CONFIG_HUGE", 2, BtfType.Linkage.EXTERN),
                new BtfType.Datasec(".kconfig", 0, List.of(new BtfType.VarSecinfo(3, 0, length))));
        return BtfWriter.write(Btf.of(types, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * A copy of little-endian {@code object} whose {@code .BTF} section is {@code btf}, appended
     * at the end of the file with the section header pointed at it.
     */
    public static byte[] withBtf(byte[] object, byte[] btf) {
        ElfSection section = ElfFile.read(object).section(".BTF").orElseThrow();
        byte[] out = Arrays.copyOf(object, object.length + btf.length);
        System.arraycopy(btf, 0, out, object.length, btf.length);
        ByteBuffer bytes = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long header = bytes.getLong(40) + 64L * section.index();
        bytes.putLong((int) header + 24, object.length).putLong((int) header + 32, btf.length);
        return out;
    }

    private static int put(int[] words, int at, int... values) {
        System.arraycopy(values, 0, words, at, values.length);
        return at + values.length;
    }
}

package dev.bpfglobals.runtime.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A NUL-terminated string table (ELF {@code .strtab}, BTF string section) read from untrusted bytes.
 *
 * <p>Many records may name the same or overlapping strings, so decoding each reference afresh would
 * let a small file allocate without bound (a million symbols all naming one long string). Strings
 * are therefore decoded once per offset, each is capped in length, and the total decoded is capped
 * relative to the table's size. Safe to share between threads: the running kernel's BTF, read once per
 * process, decodes its names lazily from whichever thread loads an object.
 */
public final class BoundedStrings {

    /** No BPF identifier comes near this; the kernel caps names at 512 bytes. */
    public static final int MAX_LENGTH = 4096;

    private final ByteBuffer data;
    private final int start;
    private final int length;
    private final String table;
    private final Function<String, RuntimeException> error;
    private final Map<Integer, String> decoded = new HashMap<>();
    private long budget;

    /**
     * A view of {@code length} bytes at {@code start} of {@code data}, which the caller has checked
     * lie inside it; {@code error} turns a message into the caller's format exception.
     */
    public BoundedStrings(ByteBuffer data, int start, int length, String table, Function<String, RuntimeException> error) {
        this.data = data;
        this.start = start;
        this.length = length;
        this.table = table;
        this.error = error;
        this.budget = 4L * length + 65_536;
    }

    /** The size of the table in bytes. */
    public int length() {
        return length;
    }

    /** A function of a string's bytes, {@code from} (inclusive) to {@code end} (its NUL) in {@code data}. */
    @FunctionalInterface
    public interface BytesFunction {
        /** The function's value for the bytes in {@code from..end} of {@code data}. */
        int apply(ByteBuffer data, int from, int end);
    }

    /**
     * {@code function} of the bytes of the string at {@code offset}, without decoding it; checked as
     * {@link #at} checks it, with {@code owner} and {@code ownerNumber} named in the error (e.g.
     * "type", 42: no message is built unless there is an error, as the index of a kernel's types calls
     * this for each of its 100k+ names).
     */
    public int applyToBytes(long offset, String owner, long ownerNumber, BytesFunction function) {
        return function.apply(data, start + (int) offset, end(offset, owner, ownerNumber, MAX_LENGTH));
    }

    /** The string at {@code offset}, for {@code owner} (named in the error when the offset is bad). */
    public String at(long offset, String owner) {
        return decode(offset, owner, -1, MAX_LENGTH);
    }

    /**
     * The name at {@code offset} of {@code owner} number {@code ownerNumber} (e.g. "type", 42),
     * named so in the error: the message is built only on an error, as the readers call this for
     * each name of an object (string concatenation is one of the costliest steps of a cold JVM's interpreter).
     */
    public String nameOf(String owner, long ownerNumber, long offset) {
        return decode(offset, owner, ownerNumber, MAX_LENGTH);
    }

    /** The same, allowing up to {@code maxLength} bytes (a source line in {@code .BTF.ext} may be long). */
    public String at(long offset, String owner, int maxLength) {
        return decode(offset, owner, -1, maxLength);
    }

    private synchronized String decode(long offset, String owner, long ownerNumber, int maxLength) {
        if (offset >= 0 && offset < length) {
            String known = decoded.get((int) offset);
            if (known != null) {
                return known;
            }
        }
        int end = end(offset, owner, ownerNumber, maxLength);
        int from = start + (int) offset;
        budget -= end - from;
        if (budget < 0) {
            throw error.apply("the names in the " + table + " decode to far more text than the table holds");
        }
        String text;
        if (data.hasArray()) {
            text = new String(data.array(), data.arrayOffset() + from, end - from, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[end - from];
            data.get(from, bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        decoded.put((int) offset, text);
        return text;
    }

    /**
     * Where the string at {@code offset} ends (the index of its NUL in the buffer), checked: the
     * offset lies inside the table, and a NUL follows within {@code maxLength} bytes and before the
     * table's end; else the error names {@code owner} (and {@code ownerNumber}, where not negative).
     */
    private int end(long offset, String owner, long ownerNumber, int maxLength) {
        if (offset < 0 || offset >= length) {
            throw error.apply(owner(owner, ownerNumber) + ": name offset " + offset + " is outside the " + length + "-byte "
                    + table);
        }
        int from = start + (int) offset;
        int limit = (int) Math.min((long) start + length, (long) from + maxLength + 1);
        int end = nul(from, limit);
        if (end == limit) {
            throw error.apply(owner(owner, ownerNumber) + ": name at offset " + offset + " "
                    + (end - from > maxLength ? "of the " + table + " is longer than " + maxLength + " bytes"
                    : "runs off the end of the " + table));
        }
        return end;
    }

    /**
     * The index of the first NUL from {@code from}, or {@code limit} where there is none before it.
     * Read from the array where there is one: a cold JVM interprets this loop for every byte of
     * every name, and a kernel has 60k of them.
     */
    private int nul(int from, int limit) {
        int end = from;
        if (data.hasArray()) {
            byte[] bytes = data.array();
            int shift = data.arrayOffset();
            while (end < limit && bytes[shift + end] != 0) {
                end++;
            }
        } else {
            while (end < limit && data.get(end) != 0) {
                end++;
            }
        }
        return end;
    }

    private static String owner(String owner, long ownerNumber) {
        return ownerNumber < 0 ? owner : owner + " " + ownerNumber;
    }
}

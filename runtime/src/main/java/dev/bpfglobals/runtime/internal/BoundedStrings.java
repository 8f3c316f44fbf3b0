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
 * relative to the table's size.
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

    /** The string at {@code offset}, for {@code owner} (named in the error when the offset is bad). */
    public String at(long offset, String owner) {
        return at(offset, owner, MAX_LENGTH);
    }

    /** The same, allowing up to {@code maxLength} bytes (a source line in {@code .BTF.ext} may be long). */
    public String at(long offset, String owner, int maxLength) {
        if (offset < 0 || offset >= length) {
            throw error.apply(owner + ": name offset " + offset + " is outside the " + length + "-byte " + table);
        }
        String known = decoded.get((int) offset);
        if (known != null) {
            return known;
        }
        int from = start + (int) offset;
        int limit = start + length;
        int end = from;
        while (end < limit && data.get(end) != 0) {
            end++;
            if (end - from > maxLength) {
                throw error.apply(owner + ": name at offset " + offset + " of the " + table + " is longer than "
                        + maxLength + " bytes");
            }
        }
        if (end == limit) {
            throw error.apply(owner + ": name at offset " + offset + " runs off the end of the " + table);
        }
        budget -= end - from;
        if (budget < 0) {
            throw error.apply("the names in the " + table + " decode to far more text than the table holds");
        }
        byte[] bytes = new byte[end - from];
        data.get(from, bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        decoded.put((int) offset, text);
        return text;
    }
}

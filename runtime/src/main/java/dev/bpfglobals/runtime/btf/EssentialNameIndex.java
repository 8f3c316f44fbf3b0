package dev.bpfglobals.runtime.btf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A kernel's types by essential name ({@link KernelBtf#essentialName}), held as int arrays: for each
 * indexed type the hash of its essential name's bytes, chained per hash bucket in id order.
 *
 * <p>Why not a map of strings: vmlinux has about 60k named types that CO-RE may use as candidates,
 * and decoding each name into a {@code String} to key a map took 24 ms of a cold load's 75 (JDK 25,
 * C1 only), for the few dozen names an object's relocations ever ask for. Here the names are hashed
 * straight from the string section's bytes, and a lookup decodes only the names whose hash matches.
 */
final class EssentialNameIndex {

    private static final int[] NONE = new int[0];

    private final int[] hashes;
    private final int[] next;
    private final int[] heads;
    private final int mask;

    private EssentialNameIndex(int[] hashes, int[] next, int[] heads) {
        this.hashes = hashes;
        this.next = next;
        this.heads = heads;
        this.mask = heads.length - 1;
    }

    /**
     * Whether a type of {@code kind} may be the root of a CO-RE relocation, and so a candidate:
     * functions, variables, sections and tags never are (half of vmlinux's names).
     */
    static boolean mayBeRoot(BtfKind kind) {
        return kind != BtfKind.FUNC && kind != BtfKind.VAR && kind != BtfKind.DATASEC && kind != BtfKind.DECL_TAG;
    }

    /**
     * Indexes the types from {@code firstId} on: those {@code indexed} marks, by their essential
     * names' {@code hashes} ({@link #hash(String)}; both arrays indexed by type id).
     */
    static EssentialNameIndex of(int[] hashes, boolean[] indexed, int firstId) {
        int size = hashes.length;
        int[] next = new int[size];
        int[] heads = new int[Integer.highestOneBit(Math.max(1, size - firstId)) * 2];
        int mask = heads.length - 1;
        // From the last id down, each pushed in front of its bucket: every chain ends up in id order.
        for (int id = size - 1; id >= firstId; id--) {
            if (indexed[id]) {
                int hash = hashes[id];
                next[id] = heads[hash & mask];
                heads[hash & mask] = id; // 0 ends a chain: id 0 (void) is never indexed
            }
        }
        return new EssentialNameIndex(hashes, next, heads);
    }

    /** The indexed ids, in id order, whose hash is {@code name}'s and for which {@code sameName} holds. */
    int[] find(String name, IntPredicate sameName) {
        int hash = hash(name);
        int[] found = NONE;
        int count = 0;
        for (int id = heads[hash & mask]; id != 0; id = next[id]) {
            if (hashes[id] == hash && sameName.test(id)) {
                if (count == found.length) {
                    found = Arrays.copyOf(found, Math.max(4, count * 2));
                }
                found[count++] = id;
            }
        }
        return count == found.length ? found : Arrays.copyOf(found, count);
    }

    /** The hash of {@code essentialName}'s UTF-8 bytes, as {@link #essentialHash} computes it from a table. */
    static int hash(String essentialName) {
        byte[] bytes = essentialName.getBytes(StandardCharsets.UTF_8);
        return hashBytes(bytes, 0, bytes.length);
    }

    /**
     * The hash of the essential name of the string in {@code from..end} of {@code data} (its bytes,
     * without the NUL): cut at its {@code ___flavor} suffix by {@link KernelBtf#essentialName}'s rule,
     * which only looks at {@code _} bytes, so it cuts UTF-8 where it cuts the decoded string.
     */
    static int essentialHash(ByteBuffer data, int from, int end) {
        if (data.hasArray()) { // the common case, read from the array: a kernel has 60k names to hash
            return essentialHash(data.array(), data.arrayOffset() + from, data.arrayOffset() + end);
        }
        byte[] bytes = new byte[end - from];
        data.get(from, bytes);
        return essentialHash(bytes, 0, bytes.length);
    }

    private static int essentialHash(byte[] bytes, int from, int end) {
        int cut = end;
        for (int i = end - 5; i >= from; i--) {
            if (bytes[i] != '_' && bytes[i + 1] == '_' && bytes[i + 2] == '_' && bytes[i + 3] == '_' && bytes[i + 4] != '_') {
                cut = i + 1;
                break;
            }
        }
        return hashBytes(bytes, from, cut);
    }

    /** The one hash of a name's bytes, which the index and its lookups must agree on. */
    private static int hashBytes(byte[] bytes, int from, int end) {
        int hash = 0;
        for (int i = from; i < end; i++) {
            hash = 31 * hash + bytes[i];
        }
        // Spread the high bits into the bucket bits, as HashMap does: names share long prefixes.
        return hash ^ (hash >>> 16);
    }
}

package dev.bpfglobals.runtime.btf;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The running kernel's types, each parsed the first time it is asked for. CO-RE and attach
 * lookups touch a few hundred of the kernel's 100k+ types, so reading all of them up front (most of
 * a cold load's time in a fresh JVM) is work thrown away. Index = type id; 0 is {@code void}.
 * Safe to share between threads: a type parsed twice by a race is the same immutable value.
 */
final class LazyKernelTypes extends AbstractList<BtfType> implements RandomAccess, KernelTypeHeaders {

    private final BtfReader reader;
    private final int[] offsets;
    private final AtomicReferenceArray<BtfType> parsed;

    LazyKernelTypes(BtfReader reader) {
        this.reader = reader;
        this.offsets = reader.typeOffsets();
        this.parsed = new AtomicReferenceArray<>(offsets.length);
        parsed.set(0, BtfType.Void.INSTANCE);
    }

    @Override
    public BtfType get(int id) {
        BtfType type = parsed.get(java.util.Objects.checkIndex(id, offsets.length));
        if (type == null) {
            type = reader.typeAt(offsets[id], reader.firstId() - 1 + id);
            parsed.set(id, type);
        }
        return type;
    }

    @Override
    public int size() {
        return offsets.length;
    }

    /** The reader of this BTF's bytes (a split BTF on top of it reads the base's strings through it). */
    BtfReader reader() {
        return reader;
    }

    @Override
    public BtfKind kind(int id) {
        return id == 0 ? BtfKind.VOID : reader.kindAt(offsets[id]);
    }

    @Override
    public String name(int id) {
        return id == 0 ? "" : reader.nameAt(offsets[id], reader.firstId() - 1 + id);
    }

    @Override
    public void essentialNameHashes(int firstId, int[] hashes, boolean[] indexed) {
        essentialNameHashes(firstId, 0, hashes, indexed);
    }

    /** The same, for this BTF's own ids from {@code firstId}, written at id + {@code shift} (a split BTF's place). */
    void essentialNameHashes(int firstId, int shift, int[] hashes, boolean[] indexed) {
        reader.essentialNameHashes(offsets, Math.max(1, firstId), shift, hashes, indexed);
    }
}

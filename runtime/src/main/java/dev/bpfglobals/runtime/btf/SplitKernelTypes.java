package dev.bpfglobals.runtime.btf;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A kernel module's types after vmlinux's, in the one id space the kernel gives them: ids below
 * the base's size are vmlinux's, the rest the module's own ({@code /sys/kernel/btf/MODULE} is split
 * BTF whose first type has the id after vmlinux's last). Both parts are parsed lazily; the base is
 * shared with every other module and with CO-RE against vmlinux, so it is parsed once.
 */
final class SplitKernelTypes extends AbstractList<BtfType> implements RandomAccess, KernelTypeHeaders {

    private final LazyKernelTypes base;
    private final LazyKernelTypes own;

    /** @param own the module's types, indexed from 1 as their own section lists them */
    SplitKernelTypes(LazyKernelTypes base, LazyKernelTypes own) {
        this.base = base;
        this.own = own;
    }

    @Override
    public BtfType get(int id) {
        return id < base.size() ? base.get(id) : own.get(java.util.Objects.checkIndex(id, size()) - base.size() + 1);
    }

    @Override
    public int size() {
        return base.size() + own.size() - 1;
    }

    @Override
    public BtfKind kind(int id) {
        return id < base.size() ? base.kind(id) : own.kind(id - base.size() + 1);
    }

    @Override
    public String name(int id) {
        return id < base.size() ? base.name(id) : own.name(id - base.size() + 1);
    }

    @Override
    public void essentialNameHashes(int firstId, int[] hashes, boolean[] indexed) {
        if (firstId < base.size()) {
            base.essentialNameHashes(firstId, hashes, indexed);
        }
        // The module's own types: its id 1 is this list's base.size().
        own.essentialNameHashes(Math.max(1, firstId - base.size() + 1), base.size() - 1, hashes, indexed);
    }
}

package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.internal.loader.VariableImage;

/**
 * A global variable in a global-data section, where the object places it.
 *
 * @param name      the C identifier
 * @param cType     the C type as a contract spells it ({@code __u64}, {@code struct pair}), empty when the object has no BTF
 * @param offset    byte offset in its section
 * @param size      size in bytes
 * @param alignment alignment in bytes (from BTF; without BTF the largest power of two up to 8 dividing offset and size)
 * @param global    whether other objects can see it (not {@code static}, not hidden)
 */
public record GlobalVariable(String name, String cType, int offset, int size, int alignment, boolean global) {

    /** Checks the fields as the loader checks its own: offset and size not negative, alignment a power of two. */
    public GlobalVariable {
        VariableImage.check(name, cType, offset, size, alignment);
    }

    /** {@return the first byte after this variable: its offset plus its size} */
    public int end() {
        return offset + size;
    }

    /** The loader's data, as the readers found it. */
    static GlobalVariable of(VariableImage v) {
        return new GlobalVariable(v.name(), v.cType(), v.offset(), v.size(), v.alignment(), v.global());
    }

    /** {@return this variable as a contract states it} */
    public VariableContract toContract() {
        return new VariableContract(name, cType, offset, size, alignment);
    }
}

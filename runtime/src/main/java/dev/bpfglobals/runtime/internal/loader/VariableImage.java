package dev.bpfglobals.runtime.internal.loader;

import java.util.Objects;

/**
 * A global variable where the object places it: the loader's data behind the public
 * {@code GlobalVariable}.
 *
 * @param name      the C identifier
 * @param cType     the C type as a contract spells it, empty when the object has no BTF
 * @param offset    byte offset in its section
 * @param size      size in bytes
 * @param alignment alignment in bytes, a power of two
 * @param global    whether other objects can see it (not {@code static}, not hidden)
 */
public record VariableImage(String name, String cType, int offset, int size, int alignment, boolean global) {

    /** Checks the fields, so a hostile object ends in a format error rather than a wrong layout. */
    public VariableImage {
        check(name, cType, offset, size, alignment);
    }

    /**
     * The checks of a variable's fields, which the public {@code GlobalVariable} makes too.
     *
     * @param name      the C identifier
     * @param cType     the C type, empty without BTF
     * @param offset    byte offset in its section, not negative
     * @param size      size in bytes, not negative
     * @param alignment alignment in bytes, a power of two
     * @throws IllegalArgumentException naming the variable and its values, where one is out of range
     */
    public static void check(String name, String cType, int offset, int size, int alignment) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cType, "cType");
        if (offset < 0 || size < 0 || alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("variable '" + name + "': offset " + offset + ", size " + size
                    + ", alignment " + alignment);
        }
    }

    /** {@return the first byte after this variable} */
    public int end() {
        return offset + size;
    }
}

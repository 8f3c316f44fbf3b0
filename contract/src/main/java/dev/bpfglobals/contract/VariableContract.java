package dev.bpfglobals.contract;

import java.util.Objects;

/**
 * One global variable inside a section, as clang lays it out.
 *
 * @param name      the C identifier of the variable
 * @param cType     the C type as the generated header spells it, e.g. {@code __u64} or {@code __u32[8]}
 * @param offset    byte offset of the variable inside the section
 * @param size      size of the variable in bytes
 * @param alignment natural alignment of the variable in bytes
 * @param metric    how an exporter presents it, for integer variables of a processor-made
 *                  contract; {@code null} where the source does not say (BTF, older contracts)
 */
public record VariableContract(String name, String cType, int offset, int size, int alignment, MetricKind metric) {

    /** Rejects values no compiler could produce, so a corrupt contract fails where it is read. */
    public VariableContract {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cType, "cType");
        if (offset < 0 || size < 1 || alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("variable '" + name + "': offset " + offset + ", size " + size
                    + ", alignment " + alignment + " is not a valid layout");
        }
    }

    /**
     * A variable whose metric kind the source does not say, as read from BTF or an older contract.
     *
     * @param name      the C identifier of the variable
     * @param cType     the C type as the generated header spells it
     * @param offset    byte offset of the variable inside the section
     * @param size      size of the variable in bytes
     * @param alignment natural alignment of the variable in bytes, a power of two
     */
    public VariableContract(String name, String cType, int offset, int size, int alignment) {
        this(name, cType, offset, size, alignment, null);
    }

    /**
     * Where the next variable may start, at the earliest; the section ends at the last variable's.
     *
     * @return the offset of the first byte after this variable
     */
    public int end() {
        return offset + size;
    }
}

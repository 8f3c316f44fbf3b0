package dev.bpfglobals.runtime.btf;

/**
 * The range checks the {@link BtfType} records share: the kernel stores ids, sizes and offsets as
 * {@code u32}, the records keep them as {@code int}s, so a negative one stands for a value at or
 * beyond 2^31, which no compiler emits.
 */
final class BtfTypeChecks {

    private BtfTypeChecks() {
    }

    static void requireId(int id, String what) {
        if (id < 0) {
            throw new IllegalArgumentException(what + " is type id " + Integer.toUnsignedString(id));
        }
    }

    static void requireSize(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " is " + Integer.toUnsignedString(value) + ", beyond 2^31");
        }
    }
}

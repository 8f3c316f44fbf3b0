package dev.bpfglobals.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Copies bytes into memory a BPF program reads at the same time (an mmapped global section), in
 * the widest aligned volatile stores the destination allows, so that every naturally aligned scalar
 * inside is stored whole and a program never reads half of an old and half of a new value.
 */
final class VolatileStores {

    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private VolatileStores() {
    }

    /** Stores {@code bytes} at {@code start} of {@code memory}, whose variable there is aligned to {@code alignment}. */
    static void copy(MemorySegment memory, long start, int alignment, MemorySegment bytes) {
        long length = bytes.byteSize();
        // The widest unit that keeps every store aligned: each naturally aligned scalar inside is stored whole.
        long unit = Math.min(8, Math.min(alignment, Long.lowestOneBit(start | length | 8)));
        for (long at = 0; at < length; at += unit) {
            switch ((int) unit) {
                case 8 -> LONG.setVolatile(memory, start + at, bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, at));
                case 4 -> INT.setVolatile(memory, start + at, bytes.get(ValueLayout.JAVA_INT_UNALIGNED, at));
                case 2 -> SHORT.setVolatile(memory, start + at, bytes.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
                default -> BYTE.setVolatile(memory, start + at, bytes.get(ValueLayout.JAVA_BYTE, at));
            }
        }
    }
}

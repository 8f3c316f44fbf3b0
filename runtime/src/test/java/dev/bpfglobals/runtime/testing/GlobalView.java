package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A loaded object's mmapped global section read and written by variable name, at the offsets the
 * object's BTF gives (clang does not keep declaration order in .bss).
 */
public record GlobalView(MemorySegment memory, GlobalSection section) {

    /** The live view of {@code section} of {@code loaded}, laid out as {@code object} declares it. */
    public static GlobalView of(ObjectSpec object, LoadedObject loaded, String section) {
        return new GlobalView(loaded.writableGlobalData(section), object.globalSection(section).orElseThrow());
    }

    /** The 8-byte variable {@code name}. */
    public long getLong(String name) {
        return memory.get(ValueLayout.JAVA_LONG, offset(name, 8));
    }

    /** The 4-byte variable {@code name}. */
    public int getInt(String name) {
        return memory.get(ValueLayout.JAVA_INT, offset(name, 4));
    }

    /** Sets the 4-byte variable {@code name}. */
    public void setInt(String name, int value) {
        memory.set(ValueLayout.JAVA_INT, offset(name, 4), value);
    }

    /** Sets the 8-byte variable {@code name}. */
    public void setLong(String name, long value) {
        memory.set(ValueLayout.JAVA_LONG, offset(name, 8), value);
    }

    private long offset(String name, int size) {
        var variable = section.variable(name).orElseThrow(() -> new AssertionError("no variable " + name + " in " + section.name()));
        if (variable.size() != size) {
            throw new AssertionError(name + " is " + variable.size() + " bytes, not " + size);
        }
        return variable.offset();
    }
}

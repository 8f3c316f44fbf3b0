package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PossibleCpus;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every possible CPU holds of a loaded object's per-CPU sections, to compare two loads of one object. */
public final class PerCpuSnapshots {

    private PerCpuSnapshots() {
    }

    /** {@return each per-CPU section's bytes on each possible CPU, as hex, keyed {@code SECTION@CPU}} */
    public static Map<String, String> everyCpu(LoadedObject loaded) {
        Map<String, String> values = new LinkedHashMap<>();
        int cpus = PossibleCpus.system().count();
        for (String section : loaded.percpuSections()) {
            try (PerCpuArrayMap map = loaded.percpuMap(section).orElseThrow(); Arena arena = Arena.ofConfined()) {
                int size = map.info().valueSize();
                long slot = (size + 7) & ~7L;
                MemorySegment buffer = arena.allocate(slot * cpus, 8);
                map.lookupAll(buffer);
                for (int cpu = 0; cpu < cpus; cpu++) {
                    values.put(section + "@" + cpu, HexFormat.of().formatHex(buffer.asSlice(cpu * slot, size).toArray(ValueLayout.JAVA_BYTE)));
                }
            }
        }
        return values;
    }
}

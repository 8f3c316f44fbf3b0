package dev.bpfglobals.cli;

import dev.bpfglobals.exporter.SectionSource;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.PossibleCpus;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code .data}/{@code .bss}-style ARRAY map of one entry as a source: one lookup per scrape. */
final class ArrayMapSource implements SectionSource {

    private final BpfMap map;
    private final MemorySegment buffer;

    ArrayMapSource(BpfMap map) {
        this.map = map;
        this.buffer = Arena.ofAuto().allocate(Math.max(1, map.info().valueSize()), 8);
    }

    @Override
    public boolean perCpu() {
        return false;
    }

    @Override
    public PossibleCpus cpus() {
        return PossibleCpus.system();
    }

    @Override
    public int valueSize() {
        return map.info().valueSize();
    }

    @Override
    public MemorySegment read() {
        byte[] value = map.lookup(0);
        MemorySegment.copy(value, 0, buffer, ValueLayout.JAVA_BYTE, 0, value.length);
        return buffer;
    }
}

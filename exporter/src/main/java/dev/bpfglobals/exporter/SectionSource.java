package dev.bpfglobals.exporter;

import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where a collector gets a section's bytes: one read of the whole map value per scrape (one
 * syscall), into a buffer the source owns and reuses. Not thread-safe; {@link GlobalsCollector}
 * calls it under its lock.
 */
public interface SectionSource {

    /** Whether the buffer holds one copy per possible CPU ({@link #cpus()}) rather than one copy. */
    boolean perCpu();

    /** The possible CPUs whose copies a per-CPU read returns, in slot order. */
    PossibleCpus cpus();

    /** Bytes of one copy: the map's value size. */
    int valueSize();

    /**
     * Reads the map's whole value into this source's buffer and returns it: one copy, or for a
     * per-CPU map one {@code round_up(valueSize, 8)}-byte slot per possible CPU. The buffer is
     * overwritten by the next read.
     */
    MemorySegment read();

    /** A source reading the map {@code globals} is bound to; the binding stays the caller's to close. */
    static <R extends Record> SectionSource of(PerCpuGlobals<R> globals) {
        PerCpuSnapshot<R> snapshot = globals.newSnapshot();
        return new SectionSource() {
            @Override
            public boolean perCpu() {
                return true;
            }

            @Override
            public PossibleCpus cpus() {
                return snapshot.cpus();
            }

            @Override
            public int valueSize() {
                return snapshot.codec().section().valueSize();
            }

            @Override
            public MemorySegment read() {
                globals.readAll(snapshot);
                return snapshot.segment();
            }
        };
    }

    /** A source reading a per-CPU array map of one entry; the map stays the caller's to close. */
    static SectionSource of(PerCpuArrayMap map) {
        PossibleCpus cpus = PossibleCpus.system();
        int valueSize = map.info().valueSize();
        MemorySegment buffer = Arena.ofAuto().allocate(PerCpuSnapshot.slotStride(valueSize) * cpus.count(), 8);
        return new SectionSource() {
            @Override
            public boolean perCpu() {
                return true;
            }

            @Override
            public PossibleCpus cpus() {
                return cpus;
            }

            @Override
            public int valueSize() {
                return valueSize;
            }

            @Override
            public MemorySegment read() {
                map.lookupAll(buffer);
                return buffer;
            }
        };
    }
}

package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Reads one section once per scrape and decodes its exported variables from that one read, for any
 * number of outputs (the Prometheus collector, OpenTelemetry callbacks). Scrapes from several
 * threads (an HTTP server's) take turns, since they share the source's buffer.
 */
public final class SectionScraper {

    private final SectionSource source;
    private final List<ExportedVariable> variables;
    private final long stride;
    private final ReentrantLock lock = new ReentrantLock();
    /** The one view handed to scrapes, valid only inside {@link #scrape}; reused so a scrape allocates none. */
    private final Reading reading = new Reading();

    /**
     * Scrapes {@code variables} out of {@code source}.
     *
     * @throws IllegalArgumentException if a variable reaches past the source's value size
     */
    public SectionScraper(SectionSource source, List<ExportedVariable> variables) {
        this.source = Objects.requireNonNull(source, "source");
        this.variables = List.copyOf(variables);
        for (ExportedVariable variable : this.variables) {
            if (variable.offset() + variable.size() > source.valueSize()) {
                throw new IllegalArgumentException("variable '" + variable.name() + "' spans bytes " + variable.offset() + ".."
                        + (variable.offset() + variable.size()) + ", past the map's " + source.valueSize() + "-byte value");
            }
        }
        this.stride = source.perCpu() ? PerCpuSnapshot.slotStride(source.valueSize()) : 0;
    }

    /** The variables each scrape decodes. */
    public List<ExportedVariable> variables() {
        return variables;
    }

    /** Whether the source keeps one copy per CPU. */
    public boolean perCpu() {
        return source.perCpu();
    }

    /** The possible CPUs of a per-CPU source. */
    public PossibleCpus cpus() {
        return source.cpus();
    }

    /**
     * Reads the map once (one syscall) and applies {@code use} to the values; scrapes from other
     * threads wait meanwhile. The {@link Reading} is only valid inside {@code use}.
     */
    public <T> T scrape(Function<Reading, T> use) {
        lock.lock();
        try {
            reading.data = source.read();
            return use.apply(reading);
        } finally {
            reading.data = null;
            lock.unlock();
        }
    }

    /** One read of the section, decoded on demand. */
    public final class Reading {

        private MemorySegment data;

        private Reading() {
        }

        /** Number of copies: possible CPUs for a per-CPU source, else 1. */
        public int slots() {
            return source.perCpu() ? source.cpus().count() : 1;
        }

        /** The CPU whose copy is in {@code slot}. */
        public int cpuAt(int slot) {
            return source.cpus().cpuAt(slot);
        }

        /** Element {@code index} of {@code variable} in {@code slot}'s copy, as a metric value. */
        public double value(ExportedVariable variable, int index, int slot) {
            return toDouble(variable, raw(variable, index, slot));
        }

        /**
         * Element {@code index} of {@code variable} summed over every copy, in the variable's own
         * width as a C program adding the copies would (so wrapping, like SectionCodec's sums).
         */
        public double sum(ExportedVariable variable, int index) {
            long total = 0;
            for (int slot = 0; slot < slots(); slot++) {
                total += raw(variable, index, slot);
            }
            return toDouble(variable, total);
        }

        /**
         * Element {@code index} of an unsigned {@code variable} in {@code slot}'s copy as a count,
         * or summed over every copy (wrapping at the variable's width) for {@code slot} -1: a
         * histogram bucket. Counts past {@code Long.MAX_VALUE} (only a 64-bit element can hold
         * them) are held there, since a histogram's counts are signed longs.
         */
        public long count(ExportedVariable variable, int index, int slot) {
            long raw = 0;
            if (slot >= 0) {
                raw = raw(variable, index, slot);
            } else {
                for (int s = 0; s < slots(); s++) {
                    raw += raw(variable, index, s);
                }
            }
            int bits = variable.elementSize() * 8;
            if (bits < 64) {
                return raw & ((1L << bits) - 1);
            }
            return raw < 0 ? Long.MAX_VALUE : raw;
        }

        private long raw(ExportedVariable variable, int index, int slot) {
            long at = slot * stride + variable.offset() + (long) index * variable.elementSize();
            boolean signed = variable.signed() && variable.kind() == MetricKind.GAUGE;
            return switch (variable.elementSize()) {
                case 1 -> signed ? data.get(ValueLayout.JAVA_BYTE, at) : Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, at));
                case 2 -> signed ? data.get(ValueLayout.JAVA_SHORT_UNALIGNED, at)
                        : Short.toUnsignedLong(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, at));
                case 4 -> signed ? data.get(ValueLayout.JAVA_INT_UNALIGNED, at)
                        : Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, at));
                default -> data.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            };
        }
    }

    /**
     * A raw value as a double. Counters are read unsigned whatever their C type: a counter only
     * grows, and a signed one that a program keeps adding to is still a count once past its sign bit.
     * Narrow sums are cut back to the variable's width, as the C program's own addition would be.
     */
    static double toDouble(ExportedVariable variable, long raw) {
        boolean signed = variable.signed() && variable.kind() == MetricKind.GAUGE;
        int bits = variable.elementSize() * 8;
        if (bits < 64) {
            long mask = (1L << bits) - 1;
            raw &= mask;
            if (signed && (raw >>> (bits - 1)) != 0) {
                raw |= ~mask;
            }
            return raw;
        }
        if (signed || raw >= 0) {
            return raw;
        }
        // An unsigned 64-bit value past Long.MAX_VALUE: halve, convert, double back (rounding as double must).
        return ((raw >>> 1) | (raw & 1)) * 2.0;
    }
}

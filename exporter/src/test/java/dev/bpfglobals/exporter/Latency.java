package dev.bpfglobals.exporter;

import dev.bpfglobals.annotations.Histogram;
import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/** Per-CPU globals for the histogram tests: a log2 histogram (element i counts values up to 2^i) and a counter. */
record Latency(
        @PerCpu @Unsigned @Length(4) @Histogram int[] latency,
        @PerCpu @Unsigned long events) {
}

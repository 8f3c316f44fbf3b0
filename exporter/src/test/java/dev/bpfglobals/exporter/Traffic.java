package dev.bpfglobals.exporter;

import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/** Per-CPU globals for the exporter's tests: a counter, a signed gauge, and a counter array. */
record Traffic(
        @PerCpu @Unsigned long packets,
        @PerCpu int depth,
        @PerCpu @Unsigned @Length(4) int[] sizeBuckets) {
}

package dev.bpfglobals.examples.jvm;

import dev.bpfglobals.annotations.Counter;
import dev.bpfglobals.annotations.Histogram;
import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * The globals of {@code jvm_probes.bpf.c}, which counts HotSpot's own USDT probes
 * ({@code hotspot:thread__start}, {@code hotspot:gc__begin}, {@code hotspot:gc__end} of
 * {@code libjvm.so}) per CPU.
 *
 * @param threadsStarted Java threads started, on the CPU that started them
 * @param gcBegins       GC pauses begun
 * @param gcEnds         GC pauses ended
 * @param gcPauseNs      GC pauses by length: element {@code i} counts those of at most {@code 2^i}
 *                       nanoseconds (and more than {@code 2^(i-1)}); the last one also counts longer ones
 * @param targetPid      the process counted; 0 counts every process that runs the probed libjvm
 */
public record JvmProbes(
        @PerCpu @Unsigned @Counter long threadsStarted,
        @PerCpu @Unsigned @Counter long gcBegins,
        @PerCpu @Unsigned @Counter long gcEnds,
        @PerCpu @Unsigned @Length(40) @Histogram long[] gcPauseNs,
        @Unsigned int targetPid) {
}

package dev.bpfglobals.examples.xdp;

import dev.bpfglobals.annotations.Gauge;
import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * The per-CPU globals of {@code xdp_stats.bpf.c}: the processor derives the C header the program
 * includes and {@code XdpStatsGlobals}, through which Java reads the same bytes.
 *
 * @param packets     packets seen on this CPU
 * @param bytes       bytes seen on this CPU
 * @param sizeBuckets packets per 128-byte size bucket, the last one open-ended
 * @param limit       packets longer than this are dropped; 0 means no limit (a setting: a gauge, not a counter)
 */
public record XdpStats(
        @PerCpu @Unsigned long packets,
        @PerCpu @Unsigned long bytes,
        @PerCpu @Unsigned @Length(8) long[] sizeBuckets,
        @PerCpu @Unsigned @Gauge int limit) {
}

package dev.bpfglobals.cli;

import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/** A record that drifted from counters.bpf.c: drops grew to 64 bits. */
public record Drifted(@PerCpu @Unsigned long packets, @PerCpu @Unsigned long drops) {
}

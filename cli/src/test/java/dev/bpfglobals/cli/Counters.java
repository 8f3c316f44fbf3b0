package dev.bpfglobals.cli;

import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/** The record counters.bpf.c matches; compiled with the processor like a user's. */
public record Counters(@PerCpu @Unsigned long packets, @PerCpu @Unsigned int drops) {
}

package com.example.flows;

import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * The BPF program's per-CPU globals: {@code __u64 packets} and {@code __u64 bytes} in
 * {@code .percpu}. The processor generates {@code FlowStatsGlobals} (Java), the header
 * {@code com.example.flows.FlowStats.h} that {@code src/main/bpf/flow_stats.bpf.c} includes,
 * and the contract the plugin checks the object against.
 */
public record FlowStats(@PerCpu @Unsigned long packets, @PerCpu @Unsigned long bytes) {
}

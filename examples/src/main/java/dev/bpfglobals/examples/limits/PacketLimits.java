package dev.bpfglobals.examples.limits;

import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * Per-CPU counters next to an ordinary global: {@code maxLength} lives in {@code .data}, where Java
 * sets it before load and changes it afterwards in place, through {@code PacketLimitsGlobals.bindData}.
 *
 * @param passed    packets passed on this CPU
 * @param dropped   packets dropped on this CPU for being longer than {@code maxLength}
 * @param maxLength the longest packet passed; 0 passes everything
 */
public record PacketLimits(
        @PerCpu @Unsigned long passed,
        @PerCpu @Unsigned long dropped,
        @Unsigned int maxLength) {
}

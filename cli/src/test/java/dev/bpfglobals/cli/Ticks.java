package dev.bpfglobals.cli;

import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * The globals of ticks.bpf.c, for load, run and dump: per-CPU counters a test run changes on its
 * CPU only, and {@code .data} values the programs read, set with {@code load --set}.
 *
 * @param runs   test runs on this CPU
 * @param sum    {@code step} added up on this CPU
 * @param seen   whether this CPU ran the program
 * @param marks  the last three {@code step}s' low bytes on this CPU, newest first
 * @param step   added to {@code sum} per run
 * @param big    an unsigned value beyond {@code Long.MAX_VALUE} in the tests
 * @param pair   a struct in {@code .data}
 * @param mode   an enum in {@code .data}
 */
public record Ticks(
        @PerCpu @Unsigned long runs,
        @PerCpu long sum,
        @PerCpu boolean seen,
        @PerCpu @Unsigned @Length(3) byte[] marks,
        int step,
        @Unsigned long big,
        Pair pair,
        Mode mode) {

    /** A nested record: a C struct. */
    public record Pair(@Unsigned short low, byte high) {
    }

    /** A C enum: {@code enum ticks_mode}, constants {@code TICKS_MODE_OFF = 0} and {@code TICKS_MODE_ON = 1}. */
    public enum Mode { OFF, ON }
}

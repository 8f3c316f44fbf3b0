package dev.bpfglobals.benchmarks;

import dev.bpfglobals.fixtures.Raw1024Globals;
import dev.bpfglobals.fixtures.Raw32768Globals;
import dev.bpfglobals.fixtures.Raw64Globals;
import dev.bpfglobals.fixtures.Raw8Globals;
import dev.bpfglobals.runtime.SectionCodec;

/**
 * The {@code .percpu} sections the benchmarks read at 8 B, 64 B, 1 KiB and 32 KiB: the generated
 * accessors of the test fixtures {@code Raw8} ... {@code Raw32768}, each a counter in its first 8
 * bytes (then a byte array), so a benchmark measures the codec a user's build generates.
 */
final class RawSections {

    private RawSections() {
    }

    /**
     * The generated codec of the {@code size}-byte section, typed as {@code Record} so that one
     * benchmark with a size parameter can hold any of them; {@link #value} gives its values.
     */
    @SuppressWarnings("unchecked") // each codec is used only with values made by value(size)
    static SectionCodec<Record> codec(int size) {
        SectionCodec<? extends Record> codec = switch (size) {
            case 8 -> Raw8Globals.PERCPU;
            case 64 -> Raw64Globals.PERCPU;
            case 1024 -> Raw1024Globals.PERCPU;
            case 32768 -> Raw32768Globals.PERCPU;
            default -> throw new IllegalArgumentException("no fixture section of " + size + " bytes (8, 64, 1024, 32768)");
        };
        return (SectionCodec<Record>) codec;
    }

    /** A value of the {@code size}-byte section: counter 1, the rest zero. */
    static Record value(int size) {
        return switch (size) {
            case 8 -> new Raw8Globals.PerCpuPart(1);
            case 64 -> new Raw64Globals.PerCpuPart(1, new byte[64 - 8]);
            case 1024 -> new Raw1024Globals.PerCpuPart(1, new byte[1024 - 8]);
            case 32768 -> new Raw32768Globals.PerCpuPart(1, new byte[32768 - 8]);
            default -> throw new IllegalArgumentException("no fixture section of " + size + " bytes (8, 64, 1024, 32768)");
        };
    }
}

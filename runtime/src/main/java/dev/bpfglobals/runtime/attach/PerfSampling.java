package dev.bpfglobals.runtime.attach;

/**
 * When a perf event runs its program: after every {@code value} events it counts (a period), or
 * about {@code value} times a second with the kernel adjusting the period (a frequency, as
 * {@code perf record -F}). For the software clocks a period counts nanoseconds.
 *
 * @param value the period in counted events, or the frequency in Hz; at least 1
 * @param frequency {@code true} when {@code value} is a frequency
 */
public record PerfSampling(long value, boolean frequency) {

    /**
     * Checks the value.
     *
     * @param value the period in counted events, or the frequency in Hz; at least 1
     * @param frequency {@code true} when {@code value} is a frequency
     * @throws IllegalArgumentException for a value below 1, or a frequency above 100000 Hz
     */
    public PerfSampling {
        if (value < 1 || frequency && value > 100_000) {
            throw new IllegalArgumentException((frequency ? "frequency " + value + " Hz: expected 1 to 100000 (the kernel caps it "
                    + "further at kernel.perf_event_max_sample_rate)" : "sample period " + value + ": expected at least 1"));
        }
    }

    /**
     * A sample after every {@code events} counted events.
     *
     * @param events the period, at least 1 (nanoseconds for the software clocks)
     * @return the sampling
     */
    public static PerfSampling every(long events) {
        return new PerfSampling(events, false);
    }

    /**
     * About {@code hertz} samples a second.
     *
     * @param hertz the frequency, 1 to 100000
     * @return the sampling
     */
    public static PerfSampling hertz(long hertz) {
        return new PerfSampling(hertz, true);
    }

    @Override
    public String toString() {
        return frequency ? value + " Hz" : "every " + value;
    }
}

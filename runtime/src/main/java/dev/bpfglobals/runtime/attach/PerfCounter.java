package dev.bpfglobals.runtime.attach;

/**
 * The perf events a PERF_EVENT program ({@code perf_event} section) can sample: the kernel's
 * software clocks, which every kernel has, and the generic hardware counters, which need a PMU
 * (a performance monitoring unit the kernel drives: {@code /sys/bus/event_source/devices/cpu} on
 * x86). Virtual machines often have none; there the kernel refuses a hardware counter, and the
 * attach says so naming the counter.
 */
public enum PerfCounter {
    /** {@code PERF_COUNT_SW_CPU_CLOCK}: a CPU's clock; a sample period counts nanoseconds. */
    CPU_CLOCK(Kind.SOFTWARE, 0, "cpu-clock"),
    /** {@code PERF_COUNT_SW_TASK_CLOCK}: the clock of the task being counted; a sample period counts nanoseconds. */
    TASK_CLOCK(Kind.SOFTWARE, 1, "task-clock"),
    /** {@code PERF_COUNT_HW_CPU_CYCLES}: CPU cycles. */
    CPU_CYCLES(Kind.HARDWARE, 0, "cycles"),
    /** {@code PERF_COUNT_HW_INSTRUCTIONS}: retired instructions. */
    INSTRUCTIONS(Kind.HARDWARE, 1, "instructions"),
    /** {@code PERF_COUNT_HW_CACHE_MISSES}: last-level cache misses. */
    CACHE_MISSES(Kind.HARDWARE, 3, "cache-misses"),
    /** {@code PERF_COUNT_HW_BRANCH_MISSES}: mispredicted branches. */
    BRANCH_MISSES(Kind.HARDWARE, 5, "branch-misses");

    /** Where a counter comes from: {@code perf_event_attr.type}. */
    enum Kind {
        /** {@code PERF_TYPE_HARDWARE}. */
        HARDWARE(0),
        /** {@code PERF_TYPE_SOFTWARE}. */
        SOFTWARE(1);

        final int type;

        Kind(int type) {
            this.type = type;
        }
    }

    private final Kind kind;
    private final long config;
    private final String perfName;

    PerfCounter(Kind kind, long config, String perfName) {
        this.kind = kind;
        this.config = config;
        this.perfName = perfName;
    }

    /** {@return whether the counter needs a hardware PMU} */
    public boolean hardware() {
        return kind == Kind.HARDWARE;
    }

    /** {@return the counter's name as {@code perf list} prints it, e.g. {@code cycles}} */
    public String perfName() {
        return perfName;
    }

    int type() {
        return kind.type;
    }

    long config() {
        return config;
    }
}

package dev.bpfglobals.runtime;

/**
 * An open {@code BPF_MAP_TYPE_PERCPU_ARRAY} map. Placeholder: the runtime issue fills it in.
 */
public final class PerCpuArrayMap implements AutoCloseable {

    private PerCpuArrayMap() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Closes the map's file descriptor. */
    @Override
    public void close() {
    }
}

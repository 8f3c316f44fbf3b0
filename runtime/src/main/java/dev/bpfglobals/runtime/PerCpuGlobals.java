package dev.bpfglobals.runtime;

/**
 * A record's per-CPU globals bound to a live map. Placeholder: the runtime issue fills it in.
 *
 * @param <R> the record type
 */
public final class PerCpuGlobals<R extends Record> implements AutoCloseable {

    private PerCpuGlobals() {
    }

    /** Checks {@code map} against the codec's contract and binds it. */
    public static <R extends Record> PerCpuGlobals<R> bind(PerCpuArrayMap map, SectionCodec<R> codec) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Releases the binding. */
    @Override
    public void close() {
    }
}

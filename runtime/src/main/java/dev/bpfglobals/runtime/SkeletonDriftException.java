package dev.bpfglobals.runtime;

/**
 * A generated skeleton was opened on an object whose BTF layout differs from the one it was
 * generated from (see {@link ObjectLayout#check}); the message names the first difference.
 */
public final class SkeletonDriftException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, one line.
     *
     * @param message the difference, in words
     */
    public SkeletonDriftException(String message) {
        super(message);
    }
}

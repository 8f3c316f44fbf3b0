package dev.bpfglobals.runtime.object;

/**
 * A file that is not a well-formed BPF object: says what is wrong and where. The one exception the
 * object reader ends in for bad or hostile input.
 */
public final class BpfFormatException extends RuntimeException {

    /** A format problem described by {@code message}. */
    public BpfFormatException(String message) {
        super("not a valid BPF object: " + message);
    }
}

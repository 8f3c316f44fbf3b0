package dev.bpfglobals.runtime.btf;

/** BTF bytes that are not what they claim: says what is wrong and where. */
public final class BtfFormatException extends RuntimeException {

    /** A format problem described by {@code message}. */
    public BtfFormatException(String message) {
        super("invalid BTF: " + message);
    }
}

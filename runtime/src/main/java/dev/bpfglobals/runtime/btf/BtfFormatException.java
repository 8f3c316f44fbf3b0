package dev.bpfglobals.runtime.btf;

/** BTF bytes that are not what they claim: says what is wrong and where (type id, byte offset). */
public final class BtfFormatException extends RuntimeException {

    private final String detail;

    /** A format problem described by {@code detail}. */
    public BtfFormatException(String detail) {
        super("invalid BTF: " + detail);
        this.detail = detail;
    }

    /** What is wrong, without the leading "invalid BTF". */
    public String detail() {
        return detail;
    }
}

package dev.bpfglobals.runtime;

/**
 * A file that is not a well-formed BPF object: says what is wrong and where (section, symbol,
 * offset). The one exception {@link ObjectSpec#open} ends in for bad or hostile input.
 */
public final class BpfFormatException extends RuntimeException {

    /** What is wrong, as {@link #detail()} gives it. */
    private final String detail;

    /**
     * A format problem described by {@code detail}.
     *
     * @param detail what is wrong and where, e.g. the section and offset
     */
    public BpfFormatException(String detail) {
        this(detail, null);
    }

    /**
     * A format problem described by {@code detail}, found by a lower-level reader ({@code cause}).
     *
     * @param detail what is wrong and where, e.g. the section and offset
     * @param cause the lower-level reader's exception
     */
    public BpfFormatException(String detail, Throwable cause) {
        super("not a valid BPF object: " + detail, cause);
        this.detail = detail;
    }

    /** {@return what is wrong, without the leading "not a valid BPF object"} */
    public String detail() {
        return detail;
    }
}

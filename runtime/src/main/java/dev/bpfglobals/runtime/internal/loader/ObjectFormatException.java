package dev.bpfglobals.runtime.internal.loader;

/**
 * The loader's word for a file that is not a well-formed BPF object: what is wrong and where. The
 * root package turns it into the public {@code BpfFormatException} with the same detail, at the two
 * doors a file comes in by (opening and loading).
 */
public final class ObjectFormatException extends RuntimeException {

    private final String detail;

    /** @param detail what is wrong and where, e.g. the section and offset */
    public ObjectFormatException(String detail) {
        this(detail, null);
    }

    /**
     * @param detail what is wrong and where
     * @param cause  the lower-level reader's exception
     */
    public ObjectFormatException(String detail, Throwable cause) {
        super("not a valid BPF object: " + detail, cause);
        this.detail = detail;
    }

    /** {@return what is wrong, without the leading "not a valid BPF object"} */
    public String detail() {
        return detail;
    }
}

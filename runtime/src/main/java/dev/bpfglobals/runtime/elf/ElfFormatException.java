package dev.bpfglobals.runtime.elf;

/** ELF bytes that are not what they claim: says what is wrong and where (section, symbol, offset). */
public final class ElfFormatException extends RuntimeException {

    /** A format problem described by {@code message}. */
    public ElfFormatException(String message) {
        super(message);
    }
}

package dev.bpfglobals.cli;

/**
 * Padding for the text output's columns, where {@code String.format("%-24s")} and {@code "%5d"}
 * would do: the first {@link java.util.Formatter} of a process loads the locale data (CLDR) for its
 * number formatting, about 5 ms of a cold {@code inspect} or {@code dump} (docs/benchmarks.md#cold-start).
 */
final class Columns {

    private Columns() {
    }

    /** {@code text} then spaces up to {@code width} characters, as {@code %-WIDTHs} gives. */
    static String left(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** Spaces then {@code number} in decimal, {@code width} characters in all, as {@code %WIDTHd} gives. */
    static String right(long number, int width) {
        String text = Long.toString(number);
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}

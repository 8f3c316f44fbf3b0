package dev.bpfglobals.cli;

/**
 * Text the tool did not write itself, made safe to print: names from an object or the kernel (BTF
 * names, symbols, section names) and exception messages quoting them. An object file can hold any
 * bytes in a name; printed raw, an ESC or a bidi override rewrites what the terminal shows. Control
 * characters become {@code \xNN} (ESC is {@code \x1b}); format and line-separator characters
 * (bidi overrides, zero-width spaces, U+2028) become {@code \}{@code uNNNN}, and those beyond
 * U+FFFF (tag characters, which can hide text) {@code \}{@code UNNNNNNNN}.
 */
final class Printable {

    private Printable() {
    }

    /** A name, escaped; its backslashes doubled, so that an escape and a name spelling one differ. */
    static String name(String name) {
        return escape(name, true, false);
    }

    /**
     * A message, escaped but for its line breaks and tabs: a verifier log quoted in it stays one
     * instruction a line, with the source lines' indentation.
     */
    static String message(String message) {
        return escape(message, false, true);
    }

    private static String escape(String text, boolean backslashes, boolean layout) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\\' && backslashes) {
                out.append("\\\\");
            } else if (layout && (c == '\n' || c == '\t') || !unsafe(c)) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format(c < 0x100 ? "\\x%02x" : c < 0x10000 ? "\\u%04x" : "\\U%08x", c));
            }
        });
        return out.toString();
    }

    /**
     * Whether a terminal would act on code point {@code c} rather than show it: C0 and C1 controls,
     * DEL, format characters (bidi overrides, zero-width spaces, tag characters), line and paragraph separators.
     */
    static boolean unsafe(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}

package dev.bpfglobals.cli;

/**
 * Text the tool did not write itself, made safe to print: names from an object or the kernel (BTF
 * names, symbols, section names) and exception messages quoting them. An object file can hold any
 * bytes in a name; printed raw, an ESC or a bidi override rewrites what the terminal shows. Control
 * characters become {@code \xNN} (ESC is {@code \x1b}); format and line-separator characters
 * (bidi overrides, zero-width spaces, U+2028) become {@code \}{@code uNNNN}.
 */
final class Printable {

    private Printable() {
    }

    /** A name, escaped; its backslashes doubled, so that an escape and a name spelling one differ. */
    static String name(String name) {
        return escape(name, true, false);
    }

    /** A message, escaped but for its line breaks: a verifier log stays one entry a line. */
    static String message(String message) {
        return escape(message, false, true);
    }

    private static String escape(String text, boolean backslashes, boolean keepNewlines) {
        StringBuilder out = null; // only made once something needs escaping: most text is printed as is
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = c == '\\' && backslashes ? "\\\\"
                    : c == '\n' && keepNewlines ? null
                    : unsafe(c) ? (c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c))
                    : null;
            if (escaped != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (escaped != null) {
                    out.append(escaped);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** Whether a terminal would act on {@code c} rather than show it: C0 and C1 controls, DEL, format characters, separators. */
    static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}

package dev.bpfglobals.cli;

/** The one piece of JSON writing the commands share: strings, escaped as RFC 8259 requires. */
final class Json {

    private Json() {
    }

    /**
     * {@code text} as a JSON string. Names come from object files and the kernel: escape everything
     * JSON requires, and, beyond that, what a terminal showing the JSON would act on (DEL, C1
     * controls, bidi overrides, line separators; see {@link Printable}), as {@code \}{@code uNNNN}.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Printable.unsafe(text.codePointAt(i))) {
                // A code point beyond U+FFFF is two chars, each escaped: JSON has no longer escape.
                int chars = Character.charCount(text.codePointAt(i));
                for (int j = i; j < i + chars; j++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(j)));
                }
                i += chars - 1;
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

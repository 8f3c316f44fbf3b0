package dev.bpfglobals.cli;

/** The one piece of JSON writing the commands share: strings, escaped as RFC 8259 requires. */
final class Json {

    private Json() {
    }

    /** {@code text} as a JSON string. Names come from object files and the kernel: escape everything JSON requires. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

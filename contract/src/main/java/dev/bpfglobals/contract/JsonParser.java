package dev.bpfglobals.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for contract files, so the contract keeps depending on the
 * JDK alone. Objects become {@code Map<String, Object>} in order, arrays {@code List<Object>},
 * integers {@code Long}, other numbers {@code Double}, and {@code true}/{@code false}/{@code null}
 * themselves. Nesting depth is bounded, so hostile input cannot overflow the stack, and every error
 * names its line and column.
 */
final class JsonParser {

    private final String text;
    private final int maxDepth;
    private int position;

    private JsonParser(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** The one value {@code text} holds. */
    static Object parse(String text, int maxDepth) {
        JsonParser parser = new JsonParser(text, maxDepth);
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > maxDepth) {
            throw error("nested deeper than " + maxDepth);
        }
        skipSpace();
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value, found '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (peek('}')) {
            return members;
        }
        do {
            skipSpace();
            int keyAt = position;
            String key = string();
            skipSpace();
            expect(':');
            if (members.containsKey(key)) {
                position = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            members.put(key, value(depth + 1));
            skipSpace();
        } while (peek(','));
        expect('}');
        return members;
    }

    private List<Object> array(int depth) {
        List<Object> elements = new ArrayList<>();
        position++;
        skipSpace();
        if (peek(']')) {
            return elements;
        }
        do {
            elements.add(value(depth + 1));
            skipSpace();
        } while (peek(','));
        expect(']');
        return elements;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("expected a value");
        }
        position += word.length();
        return value;
    }

    private Object number() {
        int start = position;
        peek('-');
        if (!digits()) {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek('.')) {
            integral = false;
            if (!digits()) {
                throw error("bad number: no digits after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            integral = false;
            if (!peek('+')) {
                peek('-');
            }
            if (!digits()) {
                throw error("bad number: no digits in the exponent");
            }
        }
        String literal = text.substring(start, position);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                position = start;
                throw error("integer " + literal + " does not fit 64 bits");
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        return position > start;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unfinished string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                position--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("unfinished escape");
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("unfinished \\u escape");
                    }
                    String hex = text.substring(position, position + 4);
                    if (!hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw error("bad \\u escape");
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    position += 4;
                }
                default -> throw error("unknown escape \\" + escaped);
            }
        }
    }

    private void skipSpace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private boolean peek(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("contract JSON: " + message + " at line " + line + ", column " + column);
    }
}

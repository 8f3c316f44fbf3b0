package dev.bpfglobals.runtime.contract;

import dev.bpfglobals.runtime.MapType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the contract JSON the processor writes ({@code META-INF/bpf-globals/<record>.json}). A small
 * strict parser of its own, so the runtime keeps depending on the JDK alone; input is bounded in
 * size and nesting, and every error names where it is.
 */
public final class ContractJson {

    /** Contracts are a few kilobytes; anything much larger is not one. */
    public static final int MAX_LENGTH = 4 * 1024 * 1024;
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int position;

    private ContractJson(String text) {
        this.text = text;
    }

    /**
     * Parses a contract.
     *
     * @throws IllegalArgumentException naming the problem and its character offset
     */
    public static GlobalsContract parse(String json) {
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("contract JSON is " + json.length() + " characters, over " + MAX_LENGTH);
        }
        ContractJson parser = new ContractJson(json);
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.position != json.length()) {
            throw parser.error("unexpected text after the contract");
        }
        Map<?, ?> root = object(value, "contract");
        List<SectionContract> sections = new ArrayList<>();
        for (Object section : array(root.get("sections"), "sections")) {
            Map<?, ?> s = object(section, "section");
            List<VariableContract> variables = new ArrayList<>();
            for (Object variable : array(s.get("variables"), "variables")) {
                Map<?, ?> v = object(variable, "variable");
                variables.add(new VariableContract(string(v, "name"), string(v, "cType"), integer(v, "offset"),
                        integer(v, "size"), integer(v, "alignment")));
            }
            String mapType = string(s, "mapType");
            MapType type;
            try {
                type = MapType.valueOf(mapType);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mapType '" + mapType + "'");
            }
            sections.add(new SectionContract(string(s, "name"), type, integer(s, "keySize"), integer(s, "valueSize"),
                    integer(s, "maxEntries"), integer(s, "alignment"), variables));
        }
        return new GlobalsContract(string(root, "record"), sections);
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(position);
        if (c == '{') {
            Map<String, Object> members = new LinkedHashMap<>();
            position++;
            skipSpace();
            if (peek('}')) {
                return members;
            }
            do {
                skipSpace();
                String key = stringLiteral();
                skipSpace();
                expect(':');
                members.put(key, value(depth + 1));
                skipSpace();
            } while (peek(','));
            expect('}');
            return members;
        }
        if (c == '[') {
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
        if (c == '"') {
            return stringLiteral();
        }
        int start = position;
        while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '-')) {
            position++;
        }
        if (start == position) {
            throw error("expected a value");
        }
        try {
            return Long.parseLong(text.substring(start, position));
        } catch (NumberFormatException e) {
            throw error("bad number '" + text.substring(start, position) + "'");
        }
    }

    private String stringLiteral() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (position < text.length() && text.charAt(position) != '"') {
            char c = text.charAt(position++);
            if (c == '\\') {
                if (position >= text.length()) {
                    throw error("unfinished escape");
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("unfinished \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        position += 4;
                    }
                    default -> throw error("unknown escape \\" + escaped);
                }
            } else {
                out.append(c);
            }
        }
        expect('"');
        return out.toString();
    }

    private void skipSpace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
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
        return new IllegalArgumentException("contract JSON: " + message + " at character " + position);
    }

    private static Map<?, ?> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("contract JSON: " + what + " must be an object");
    }

    private static List<?> array(Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("contract JSON: \"" + what + "\" must be an array");
    }

    private static String string(Map<?, ?> object, String key) {
        if (object.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("contract JSON: \"" + key + "\" must be a string");
    }

    private static int integer(Map<?, ?> object, String key) {
        if (object.get(key) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return (int) l.longValue();
        }
        throw new IllegalArgumentException("contract JSON: \"" + key + "\" must be a 32-bit integer");
    }
}

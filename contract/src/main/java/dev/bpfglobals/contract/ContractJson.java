package dev.bpfglobals.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the contract JSON the processor generates
 * ({@code META-INF/bpf-globals/<record>.json}):
 * <pre>{@code
 * {"record": "a.B", "sections": [{"name": ".percpu", "mapType": "PERCPU_ARRAY", "keySize": 4,
 *   "valueSize": 12, "maxEntries": 1, "alignment": 8, "variables": [
 *     {"name": "packets", "cType": "__u64", "offset": 0, "size": 8, "alignment": 8, "metric": "counter"}]}]}
 * }</pre>
 * Parsing uses a small strict parser of its own ({@link JsonParser}); input is bounded in size and
 * nesting; keys this version does not know are ignored, so newer contracts still read; every error
 * names where it is: the line and column of a syntax error, the path of a missing or mistyped field.
 */
public final class ContractJson {

    /** Contracts are a few kilobytes; anything much larger is not one. */
    public static final int MAX_LENGTH = 4 * 1024 * 1024;
    /** The schema nests four deep; a little room for additions. */
    private static final int MAX_DEPTH = 16;

    private ContractJson() {
    }

    /**
     * Parses a contract, as the runtime reads a record's contract file or a tool reads one a user names.
     *
     * @param json the text of a contract file, at most {@link #MAX_LENGTH} characters
     * @return the contract it describes
     * @throws IllegalArgumentException starting {@code contract JSON:}, naming the problem and where it is
     */
    public static GlobalsContract parse(String json) {
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("contract JSON: " + json.length() + " characters, over the limit of " + MAX_LENGTH);
        }
        Map<?, ?> root = object(JsonParser.parse(json, MAX_DEPTH), "the contract");
        List<SectionContract> sections = new ArrayList<>();
        List<?> sectionList = array(root, "sections", "");
        for (int s = 0; s < sectionList.size(); s++) {
            String at = "sections[" + s + "]";
            Map<?, ?> section = object(sectionList.get(s), at);
            List<VariableContract> variables = new ArrayList<>();
            List<?> variableList = array(section, "variables", at);
            for (int v = 0; v < variableList.size(); v++) {
                String vat = at + ".variables[" + v + "]";
                Map<?, ?> variable = object(variableList.get(v), vat);
                MetricKind metric = metric(variable, vat);
                variables.add(checked(vat, () -> new VariableContract(string(variable, "name", vat), string(variable, "cType", vat),
                        integer(variable, "offset", vat), integer(variable, "size", vat), integer(variable, "alignment", vat),
                        metric)));
            }
            String mapType = string(section, "mapType", at);
            MapType type = java.util.Arrays.stream(MapType.values()).filter(t -> t.name().equals(mapType)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("contract JSON: " + at + ": unknown mapType '" + mapType + "'"));
            sections.add(checked(at, () -> new SectionContract(string(section, "name", at), type, integer(section, "keySize", at),
                    integer(section, "valueSize", at), integer(section, "maxEntries", at), integer(section, "alignment", at),
                    variables)));
        }
        return new GlobalsContract(string(root, "record", ""), sections);
    }

    /**
     * Writes a contract as the processor writes its contract file, so files written here and there
     * compare equal byte for byte.
     *
     * @param contract the contract to write
     * @return {@code contract} as JSON, laid out exactly as the processor writes it, which
     *         {@link #parse} reads back to an equal contract
     */
    public static String write(GlobalsContract contract) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"record\": ").append(quote(contract.record())).append(",\n");
        out.append("  \"sections\": [");
        List<SectionContract> sections = contract.sections();
        for (int s = 0; s < sections.size(); s++) {
            SectionContract section = sections.get(s);
            out.append(s == 0 ? "\n" : ",\n")
               .append("    {\n      \"name\": ").append(quote(section.name()))
               .append(",\n      \"mapType\": ").append(quote(section.mapType().name()))
               .append(",\n      \"keySize\": ").append(section.keySize())
               .append(",\n      \"valueSize\": ").append(section.valueSize())
               .append(",\n      \"maxEntries\": ").append(section.maxEntries())
               .append(",\n      \"alignment\": ").append(section.alignment())
               .append(",\n      \"variables\": [");
            List<VariableContract> variables = section.variables();
            for (int v = 0; v < variables.size(); v++) {
                VariableContract variable = variables.get(v);
                out.append(v == 0 ? "\n" : ",\n")
                   .append("        {\"name\": ").append(quote(variable.name()))
                   .append(", \"cType\": ").append(quote(variable.cType()))
                   .append(", \"offset\": ").append(variable.offset())
                   .append(", \"size\": ").append(variable.size())
                   .append(", \"alignment\": ").append(variable.alignment());
                if (variable.metric() != null) {
                    out.append(", \"metric\": ").append(quote(variable.metric().jsonName()));
                }
                out.append("}");
            }
            out.append("\n      ]\n    }");
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Runs a record constructor, naming the place in the file when it refuses the values. */
    private static <T> T checked(String at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (NullPointerException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("contract JSON:")) {
                throw e;
            }
            throw new IllegalArgumentException("contract JSON: " + at + ": " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> object(Object value, String at) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("contract JSON: " + at + " must be an object");
    }

    private static List<?> array(Map<?, ?> object, String key, String at) {
        if (object.get(key) instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("contract JSON: " + prefix(at) + "\"" + key + "\" must be an array");
    }

    private static String string(Map<?, ?> object, String key, String at) {
        if (object.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("contract JSON: " + prefix(at) + "\"" + key + "\" must be a string");
    }

    /** The optional {@code "metric"}: absent means the contract does not say. */
    private static MetricKind metric(Map<?, ?> variable, String at) {
        if (!variable.containsKey("metric")) {
            return null;
        }
        Object value = variable.get("metric");
        return (value instanceof String s ? MetricKind.fromJsonName(s) : java.util.Optional.<MetricKind>empty())
                .orElseThrow(() -> new IllegalArgumentException("contract JSON: " + at + ": \"metric\" must be \"counter\", \"gauge\" or \"log2-histogram\""));
    }

    private static int integer(Map<?, ?> object, String key, String at) {
        if (object.get(key) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return (int) l.longValue();
        }
        throw new IllegalArgumentException("contract JSON: " + prefix(at) + "\"" + key + "\" must be a 32-bit integer");
    }

    private static String prefix(String at) {
        return at.isEmpty() ? "" : at + ": ";
    }
}

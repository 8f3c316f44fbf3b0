package dev.bpfglobals.processor.generate;

import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import dev.bpfglobals.processor.model.GlobalsRecord;
import java.util.List;

/**
 * Writes the machine-readable contract: the sections, the maps libbpf makes of them, and each
 * variable's C type, offset, size and alignment. The README documents the schema.
 */
public final class ContractGenerator {

    private ContractGenerator() {
    }

    /** The contract of {@code model} as pretty-printed JSON. */
    public static String generate(GlobalsRecord model) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"record\": ").append(quote(model.className().canonicalName())).append(",\n");
        out.append("  \"sections\": [");
        List<SectionLayout> sections = model.sections();
        for (int s = 0; s < sections.size(); s++) {
            SectionLayout layout = sections.get(s);
            boolean percpu = layout.name().equals(GlobalsRecord.PERCPU_SECTION);
            out.append(s == 0 ? "\n" : ",\n")
               .append("    {\n      \"name\": ").append(quote(layout.name()))
               .append(",\n      \"mapType\": ").append(quote(percpu ? "PERCPU_ARRAY" : "ARRAY"))
               .append(",\n      \"keySize\": 4,\n      \"valueSize\": ").append(layout.size())
               .append(",\n      \"maxEntries\": 1,\n      \"alignment\": ").append(layout.alignment())
               .append(",\n      \"variables\": [");
            List<CType.Placed> variables = layout.variables();
            for (int v = 0; v < variables.size(); v++) {
                CType.Placed variable = variables.get(v);
                out.append(v == 0 ? "\n" : ",\n")
                   .append("        {\"name\": ").append(quote(variable.name()))
                   .append(", \"cType\": ").append(quote(variable.type().contractName()))
                   .append(", \"offset\": ").append(variable.offset())
                   .append(", \"size\": ").append(variable.type().size())
                   .append(", \"alignment\": ").append(variable.type().alignment()).append("}");
            }
            out.append("\n      ]\n    }");
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    /** A JSON string literal; names here are Java identifiers, but escape anyway. */
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
}

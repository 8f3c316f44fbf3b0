package dev.bpfglobals.cli;

import java.util.stream.Collectors;

/**
 * {@code dump --json} of a map with keys, in bpftool's shape: {@code [{"key": K, "value": V}, ...]},
 * and for a per-CPU map {@code [{"key": K, "values": [{"cpu": 0, "value": V}, ...]}, ...]}. Keys
 * and values are written as {@link ValueJson} writes a global's value.
 */
final class EntriesJson {

    private EntriesJson() {
    }

    /** {@code map}'s entries as JSON. */
    static String of(DumpedEntries map) {
        return map.entries().stream().map(entry -> "{\"key\": " + ValueJson.of(entry.key()) + ", " + values(map, entry) + "}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String values(DumpedEntries map, DumpedEntries.Entry entry) {
        if (!map.perCpu()) {
            return "\"value\": " + ValueJson.of(entry.values().getFirst());
        }
        StringBuilder out = new StringBuilder("\"values\": [");
        for (int slot = 0; slot < entry.values().size(); slot++) {
            out.append(slot == 0 ? "" : ", ").append("{\"cpu\": ").append(map.cpus().cpuAt(slot)).append(", \"value\": ")
                    .append(ValueJson.of(entry.values().get(slot))).append('}');
        }
        return out.append(']').toString();
    }
}

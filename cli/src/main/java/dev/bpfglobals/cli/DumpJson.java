package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.runtime.kernel.MapInfo;

/**
 * {@code dump --json}: a global-section map's variables decoded by the map's own value type (its BTF), per possible
 * CPU for a per-CPU map ({@code {"map": ".percpu", "cpus": [{"cpu": 0, "variables": {...}}, ...]}})
 * and once for the others ({@code {"map": ".data", "variables": {...}}}).
 */
final class DumpJson {

    private DumpJson() {
    }

    /**
     * {@code map} as JSON.
     *
     * @throws IllegalArgumentException if the map has no BTF, which names the variables
     */
    static String of(DumpedMap map) {
        MapInfo info = map.info();
        if (map.type().isEmpty()) {
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") has no BTF value type,"
                    + " so its variables cannot be named (dump without --json prints the raw bytes)");
        }
        StringBuilder out = new StringBuilder("{\"map\": ").append(quote(info.name()));
        if (!map.perCpu()) {
            return out.append(", \"variables\": ").append(ValueJson.of(map.decoded(0))).append('}').toString();
        }
        out.append(", \"cpus\": [");
        for (int slot = 0; slot < map.values().size(); slot++) {
            out.append(slot == 0 ? "" : ", ").append("{\"cpu\": ").append(map.cpus().cpuAt(slot)).append(", \"variables\": ")
                    .append(ValueJson.of(map.decoded(slot))).append('}');
        }
        return out.append("]}").toString();
    }
}

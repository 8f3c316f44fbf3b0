package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.Arrays;

/**
 * {@code dump --json}: a global-section map's variables decoded by the map's own value type (its BTF), per possible
 * CPU for a per-CPU map ({@code {"map": ".percpu", "cpus": [{"cpu": 0, "variables": {...}}, ...]}})
 * and once for the others ({@code {"map": ".data", "variables": {...}}}).
 */
final class DumpJson {

    private DumpJson() {
    }

    static String of(BpfMap map) {
        MapInfo info = map.info();
        MapType type = info.type().orElse(null);
        if (type != MapType.ARRAY && type != MapType.PERCPU_ARRAY || info.maxEntries() != 1) {
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") is a " + info.typeName()
                    + " of " + info.maxEntries() + " entries, not a global-section map (an ARRAY or PERCPU_ARRAY of one entry)");
        }
        ValueType value = map.valueType().orElseThrow(() -> new IllegalArgumentException("map '"
                + info.name() + "' (id " + info.id() + ") has no BTF value type, so its variables cannot be named"
                + " (dump without --json prints the raw bytes)"));
        if (!(value instanceof ValueType.Section || value instanceof ValueType.Struct)) {
            throw new IllegalArgumentException("map '" + info.name() + "' holds a " + value.cName()
                    + ", not a section of variables");
        }
        byte[] bytes = map.lookup(0);
        StringBuilder out = new StringBuilder("{\"map\": ").append(quote(info.name()));
        if (type == MapType.ARRAY) {
            return out.append(", \"variables\": ").append(new ValueJson(bytes).value(value, 0))
                    .append('}').toString();
        }
        PossibleCpus cpus = PossibleCpus.system();
        int stride = (int) PerCpuSnapshot.slotStride(info.valueSize());
        out.append(", \"cpus\": [");
        for (int slot = 0; slot < cpus.count(); slot++) {
            byte[] copy = Arrays.copyOfRange(bytes, slot * stride, slot * stride + info.valueSize());
            out.append(slot == 0 ? "" : ", ").append("{\"cpu\": ").append(cpus.cpuAt(slot)).append(", \"variables\": ")
                    .append(new ValueJson(copy).value(value, 0)).append('}');
        }
        return out.append("]}").toString();
    }
}

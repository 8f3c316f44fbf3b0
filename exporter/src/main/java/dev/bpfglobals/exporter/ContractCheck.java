package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.LayoutDifference;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a map is the one a contract section describes, before any of its bytes are exported
 * under the contract's names: a mismatch would publish wrong numbers under right-looking names.
 */
public final class ContractCheck {

    private ContractCheck() {
    }

    /**
     * Checks the map's type and sizes, and, where the map has BTF, its variables' names and offsets.
     *
     * @param btfLayout the map's own layout from its BTF, if it has one
     * @throws IllegalArgumentException one line naming the map, the section and every difference
     */
    public static void check(MapInfo info, Optional<SectionContract> btfLayout, SectionContract section) {
        List<String> differences = new ArrayList<>();
        MapType type = info.type().orElse(null);
        if (type != section.mapType()) {
            differences.add("map type " + info.typeName() + ", contract " + section.mapType());
        }
        if (info.valueSize() != section.valueSize()) {
            differences.add("value size " + info.valueSize() + " bytes, contract " + section.valueSize());
        }
        if (info.keySize() != section.keySize() || info.maxEntries() != section.maxEntries()) {
            differences.add(info.keySize() + "-byte keys and " + info.maxEntries() + " entries, contract "
                    + section.keySize() + " and " + section.maxEntries());
        }
        if (differences.isEmpty()) {
            btfLayout.ifPresent(actual -> LayoutComparison.compare(section, actual).stream()
                    .filter(d -> d.variable() != null).map(LayoutDifference::describe).forEach(differences::add));
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") does not match the contract's "
                    + section.name() + ": " + differences.stream().collect(Collectors.joining("; ")));
        }
    }
}

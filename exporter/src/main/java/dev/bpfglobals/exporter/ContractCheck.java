package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.LayoutComparison;
import dev.bpfglobals.contract.LayoutDifference;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a map is the one a contract section describes, before any of its bytes are exported
 * under the contract's names: a mismatch would publish wrong numbers under right-looking names.
 * The comparison is the contract's own ({@link LayoutComparison#compareMap}), the one binding a map
 * makes, so a map the exporter refuses is one {@code PerCpuGlobals.bind} refuses, in the same words.
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
        List<LayoutDifference> differences = LayoutComparison.compareMap(section, info.kernelType(), info.keySize(),
                info.valueSize(), info.maxEntries(), () -> btfLayout);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("map '" + info.name() + "' (id " + info.id() + ") does not match the contract's "
                    + section.name() + ": " + differences.stream().map(LayoutDifference::describe).collect(Collectors.joining("; ")));
        }
    }
}

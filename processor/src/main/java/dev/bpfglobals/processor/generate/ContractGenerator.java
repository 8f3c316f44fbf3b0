package dev.bpfglobals.processor.generate;

import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.SectionLayout;
import dev.bpfglobals.processor.model.GlobalsComponent;
import dev.bpfglobals.processor.model.GlobalsRecord;
import dev.bpfglobals.processor.model.MetricKinds;
import dev.bpfglobals.processor.model.Section;

/**
 * Writes the machine-readable contract: the sections, the maps libbpf makes of them, and each
 * variable's C type, offset, size and alignment. The JSON itself is the contract module's
 * {@link ContractJson#write}, so the file and the reader that checks objects against it share one
 * schema; the README documents it.
 */
public final class ContractGenerator {

    /** libbpf makes every global section entry 0 of a one-entry array keyed by a 4-byte index. */
    private static final int KEY_SIZE = 4;
    private static final int MAX_ENTRIES = 1;

    private ContractGenerator() {
    }

    /** {@code contract} as pretty-printed JSON, the file next to the header. */
    static String json(GlobalsContract contract) {
        return ContractJson.write(contract);
    }

    /**
     * The contract of {@code model}, as the contract module models it: the one place it is built. The JSON
     * file and the accessor's {@code CONTRACT} ({@link ContractCode}) are both written from it.
     */
    static GlobalsContract contract(GlobalsRecord model) {
        return new GlobalsContract(model.className().canonicalName(),
                model.sections().stream().map(section -> section(model, section, model.layout(section))).toList());
    }

    private static SectionContract section(GlobalsRecord model, Section section, SectionLayout layout) {
        return new SectionContract(section.elfName(), section.mapType(), KEY_SIZE,
                layout.size(), MAX_ENTRIES, layout.alignment(),
                layout.variables().stream().map(placed -> variable(placed, component(model, section, placed), section)).toList());
    }

    private static GlobalsComponent component(GlobalsRecord model, Section section, CType.Placed placed) {
        return model.components(section).stream().filter(c -> c.name().equals(placed.name())).findFirst().orElseThrow();
    }

    private static VariableContract variable(CType.Placed placed, GlobalsComponent component, Section section) {
        return new VariableContract(placed.name(), placed.type().contractName(), placed.offset(),
                placed.type().size(), placed.type().alignment(), MetricKinds.of(component, section));
    }
}

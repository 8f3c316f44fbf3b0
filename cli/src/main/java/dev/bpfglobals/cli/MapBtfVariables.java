package dev.bpfglobals.cli;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.exporter.ExportedVariable;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one adapter from a pinned map's own BTF (the runtime's {@link BpfMap#valueType()}, which
 * {@code dump --json} decodes too) to what {@code export} exports: the section's name and its
 * integer variables, with their signedness from the BTF rather than from a C type's spelling.
 * Everything else (structs, {@code _Bool}, {@code char}, floats, bitfields) has no single number to export.
 */
final class MapBtfVariables {

    /** A map's section name ({@code .percpu}, {@code .data}) and its exportable variables. */
    record Layout(String sectionName, List<ExportedVariable> variables) {
    }

    private MapBtfVariables() {
    }

    /**
     * The layout of {@code map}'s value, from its BTF.
     *
     * @throws IllegalArgumentException if the map has no BTF value type, which names the variables
     */
    static Layout of(BpfMap map) {
        MapInfo info = map.info();
        ValueType value = map.valueType().orElseThrow(() -> new IllegalArgumentException("map '" + info.name()
                + "' has no BTF value type, so its variables have no names; give its contract (PIN=CONTRACT.json)"));
        List<ExportedVariable> variables = new ArrayList<>();
        String section;
        switch (value) {
            case ValueType.Section datasec -> {
                section = datasec.cName().isEmpty() ? info.name() : datasec.cName();
                for (ValueType.Variable variable : datasec.variables()) {
                    integer(section, variable.name(), variable.type(), variable.offset()).ifPresent(variables::add);
                }
            }
            case ValueType.Struct struct -> {
                section = info.name();
                for (ValueType.Field field : struct.fields()) {
                    if (field.bitfieldSize() == 0 && field.bitOffset() % 8 == 0) {
                        integer(section, field.name(), field.type(), field.offset()).ifPresent(variables::add);
                    }
                }
            }
            default -> throw new IllegalArgumentException("map '" + info.name() + "' holds a " + value.cName()
                    + ", not a section of variables");
        }
        return new Layout(section, variables);
    }

    /** The layout {@code map}'s BTF gives its value (names, offsets, sizes), to check a contract against; empty without BTF. */
    static Optional<SectionContract> btfLayout(BpfMap map, String sectionName) {
        return map.btfLayout(sectionName);
    }

    /** The name of the section {@code map}'s value is, if its BTF says. */
    static Optional<String> sectionName(BpfMap map) {
        return map.valueType().filter(t -> t instanceof ValueType.Section s && !s.cName().isEmpty()).map(ValueType::cName);
    }

    /** The variable of {@code type} at {@code offset}, if it is an integer or an array of integers. */
    private static Optional<ExportedVariable> integer(String section, String name, ValueType type, long offset) {
        int length = 1;
        boolean array = false;
        if (type instanceof ValueType.Array a) {
            type = a.element();
            length = a.length();
            array = true;
        }
        if (!(type instanceof ValueType.Int integer) || integer.bool() || isChar(integer)
                || integer.size() > 8 || integer.bits() != integer.size() * 8 || length < 1) {
            return Optional.empty();
        }
        MetricKind kind = MetricKind.defaultFor(section, !integer.signed());
        return Optional.of(new ExportedVariable(name, (int) offset, (int) integer.size(), length, array, integer.signed(), kind));
    }

    /** BTF marks {@code char} by its encoding, which ValueType keeps as the C spelling. */
    private static boolean isChar(ValueType.Int integer) {
        return integer.size() == 1 && integer.cName().replace("unsigned ", "").replace("signed ", "").equals("char");
    }
}

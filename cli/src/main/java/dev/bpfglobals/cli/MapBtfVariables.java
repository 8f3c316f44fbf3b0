package dev.bpfglobals.cli;

import dev.bpfglobals.exporter.ExportedVariable;
import dev.bpfglobals.runtime.MapInfo;
import dev.bpfglobals.runtime.MapReader;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.SectionBtfReader;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.MetricKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one adapter from a pinned map's own BTF (as {@code dump --json} decodes it, see
 * {@link DumpJson}) to what {@code export} exports: the section's name and its integer variables,
 * with their signedness from the BTF rather than from a C type's spelling. Everything else
 * (structs, {@code _Bool}, {@code char}, floats, bitfields) has no single number to export.
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
    static Layout of(MapReader map) {
        MapInfo info = map.info();
        Btf btf = map.btf().filter(b -> info.btfValueTypeId() != 0).orElseThrow(() -> new IllegalArgumentException("map '"
                + info.name() + "' has no BTF value type, so its variables have no names; give its contract (PIN=CONTRACT.json)"));
        BtfType value = btf.type(btf.resolve(info.btfValueTypeId()));
        List<ExportedVariable> variables = new ArrayList<>();
        String section = info.name();
        switch (value) {
            case BtfType.Datasec datasec -> {
                section = datasec.name().isEmpty() ? section : datasec.name();
                for (BtfType.VarSecinfo entry : datasec.entries()) {
                    BtfType.Var variable = (BtfType.Var) btf.type(entry.type());
                    integer(btf, section, variable.name(), variable.type(), entry.offset()).ifPresent(variables::add);
                }
            }
            case BtfType.Struct struct -> {
                for (BtfType.Member member : struct.members()) {
                    if (member.bitfieldSize() == 0 && member.bitOffset() % 8 == 0) {
                        integer(btf, section, member.name(), member.type(), member.bitOffset() / 8).ifPresent(variables::add);
                    }
                }
            }
            default -> throw new IllegalArgumentException("map '" + info.name() + "' holds a " + btf.cName(info.btfValueTypeId())
                    + ", not a section of variables");
        }
        return new Layout(section, variables);
    }

    /** The layout {@code map}'s BTF gives its value (names, offsets, sizes), to check a contract against; empty without BTF. */
    static Optional<SectionContract> btfLayout(MapReader map, String sectionName) {
        MapInfo info = map.info();
        return map.btf().filter(b -> info.btfValueTypeId() != 0).map(btf -> SectionBtfReader.valueLayout(btf,
                info.btfValueTypeId(), sectionName, info.type().orElseThrow()));
    }

    /** The name of the DATASEC {@code map}'s value is, if its BTF says. */
    static Optional<String> sectionName(MapReader map) {
        MapInfo info = map.info();
        return map.btf().filter(b -> info.btfValueTypeId() != 0)
                .map(btf -> btf.type(btf.resolve(info.btfValueTypeId())))
                .filter(t -> t instanceof BtfType.Datasec d && !d.name().isEmpty()).map(t -> ((BtfType.Datasec) t).name());
    }

    /** The variable of type {@code typeId} at {@code offset}, if it is an integer or an array of integers. */
    private static Optional<ExportedVariable> integer(Btf btf, String section, String name, int typeId, int offset) {
        BtfType type = btf.type(btf.resolve(typeId));
        int length = 1;
        boolean array = false;
        if (type instanceof BtfType.Array a) {
            type = btf.type(btf.resolve(a.elementType()));
            length = a.length();
            array = true;
        }
        if (!(type instanceof BtfType.Int integer) || integer.bool() || (integer.encoding() & BtfType.Int.CHAR) != 0
                || integer.size() > 8 || integer.bits() != integer.size() * 8 || length < 1) {
            return Optional.empty();
        }
        MetricKind kind = MetricKind.defaultFor(section, !integer.signed());
        return Optional.of(new ExportedVariable(name, offset, integer.size(), length, array, integer.signed(), kind));
    }
}

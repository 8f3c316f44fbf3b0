package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the layout a map's BTF gives its value: the variables of a DATASEC (global-data maps) or
 * the members of a STRUCT, with names, C types (as {@link Btf#cName} spells them), offsets, sizes
 * and alignments.
 */
public final class SectionBtfReader {

    private SectionBtfReader() {
    }

    /**
     * The layout of value type {@code valueTypeId} in the BTF {@code btf}, as a section named {@code sectionName}.
     *
     * @throws BtfFormatException for any malformed input
     */
    public static SectionContract valueLayout(byte[] btf, int valueTypeId, String sectionName, MapType mapType) {
        return valueLayout(BtfReader.read(btf), valueTypeId, sectionName, mapType);
    }

    /**
     * The layout of value type {@code valueTypeId} of {@code btf}, as a section named {@code sectionName}.
     *
     * @throws BtfFormatException if the type is not a DATASEC, STRUCT or UNION, or describes an impossible layout
     */
    public static SectionContract valueLayout(Btf btf, int valueTypeId, String sectionName, MapType mapType) {
        try {
            return read(btf, valueTypeId, sectionName, mapType);
        } catch (IllegalArgumentException e) {
            // Offsets or sizes no compiler emits (a zero-sized variable): one format error all the same.
            throw new BtfFormatException("value type " + valueTypeId + " has an impossible layout: " + e.getMessage());
        }
    }

    private static SectionContract read(Btf btf, int id, String sectionName, MapType mapType) {
        BtfType value = btf.type(btf.resolve(id));
        List<VariableContract> variables = new ArrayList<>();
        int size;
        switch (value) {
            case BtfType.Datasec datasec -> {
                size = datasec.size();
                for (BtfType.VarSecinfo entry : datasec.entries()) {
                    variables.add(new VariableContract(btf.type(entry.type()).name(), btf.cName(entry.type()),
                            entry.offset(), entry.size(), btf.alignmentOf(entry.type())));
                }
            }
            case BtfType.Struct struct -> {
                size = struct.size();
                struct.members().forEach(m -> variables.add(member(btf, m)));
            }
            case BtfType.Union union -> {
                size = union.size();
                union.members().forEach(m -> variables.add(member(btf, m)));
            }
            default -> throw new BtfFormatException("value " + Btf.describe(value, id) + " is not a DATASEC or STRUCT");
        }
        int alignment = variables.stream().mapToInt(VariableContract::alignment).max().orElse(1);
        return new SectionContract(sectionName, mapType, 4, size, 1, alignment, variables);
    }

    private static VariableContract member(Btf btf, BtfType.Member member) {
        long size = btf.sizeOf(member.type());
        if (size > Integer.MAX_VALUE) {
            throw new BtfFormatException("member '" + member.name() + "' is " + size + " bytes");
        }
        return new VariableContract(member.name(), btf.cName(member.type()), member.bitOffset() / 8, (int) size,
                btf.alignmentOf(member.type()));
    }
}

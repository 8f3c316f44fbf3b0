package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.MapType;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the layout a map's BTF gives its value: the variables of a DATASEC (global-data maps) or
 * the members of a STRUCT, with names, offsets and sizes.
 */
public final class SectionBtfReader {

    private SectionBtfReader() {
    }

    /**
     * The layout of value type {@code valueTypeId} in {@code btf}, as a section named
     * {@code sectionName}; C types are left empty, since BTF may spell them differently.
     *
     * @throws BtfFormatException for any malformed input
     */
    public static SectionContract valueLayout(byte[] btf, int valueTypeId, String sectionName, MapType mapType) {
        try {
            return read(new BtfTypes(btf), valueTypeId, sectionName, mapType);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // Sizes or offsets no compiler emits (negative, overflowing): one format error all the same.
            throw new BtfFormatException("value type " + valueTypeId + " has an impossible layout: " + e.getMessage());
        }
    }

    private static SectionContract read(BtfTypes types, int id, String sectionName, MapType mapType) {
        int kind = types.kind(id);
        List<VariableContract> variables = new ArrayList<>();
        for (int i = 0; i < types.vlen(id); i++) {
            if (kind == BtfTypes.KIND_DATASEC) {
                int var = types.entryWord(id, i, 3, 0);
                variables.add(new VariableContract(types.name(var), "", types.entryWord(id, i, 3, 1),
                        types.entryWord(id, i, 3, 2), 1));
            } else if (kind == BtfTypes.KIND_STRUCT || kind == BtfTypes.KIND_UNION) {
                int bitOffset = types.entryWord(id, i, 3, 2) & 0xffffff;
                variables.add(new VariableContract(types.string(types.entryWord(id, i, 3, 0)), "", bitOffset / 8,
                        types.sizeOf(types.entryWord(id, i, 3, 1)), 1));
            } else {
                throw new BtfFormatException("value type " + id + " is kind " + kind + ", not a DATASEC or STRUCT");
            }
        }
        return new SectionContract(sectionName, mapType, 4, types.sizeOrType(id), 1, 1, variables);
    }
}

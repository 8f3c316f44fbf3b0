package dev.bpfglobals.processor.layout;

import java.util.ArrayList;
import java.util.List;

/** The placement rule clang applies to struct members and to variables in a data section. */
final class Layouts {

    private Layouts() {
    }

    /** Places each field at the next offset that is a multiple of its alignment, in order. */
    static List<CType.Placed> place(List<CType.Field> fields) {
        List<CType.Placed> placed = new ArrayList<>(fields.size());
        int offset = 0;
        for (CType.Field field : fields) {
            offset = roundUp(offset, field.type().alignment());
            placed.add(new CType.Placed(field.name(), field.type(), offset));
            offset += field.type().size();
        }
        return placed;
    }

    static int roundUp(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}

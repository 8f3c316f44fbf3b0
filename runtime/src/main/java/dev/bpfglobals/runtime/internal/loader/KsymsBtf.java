package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The object's BTF as the kernel will take it when the object declares {@code __ksym} externs.
 * clang lists them in a DATASEC {@code .ksyms} as {@code extern} VARs (of {@code void} when
 * typeless) and FUNCs, with size and offsets 0; the kernel refuses all of that. libbpf's
 * {@code bpf_object__collect_externs} rewrites the DATASEC, and so does this: every VAR becomes an
 * allocated 4-byte {@code int} at its own offset, every FUNC a global one whose entry is a dummy
 * {@code int} VAR (its nameless parameters named after it, since the kernel wants global functions'
 * parameters named). The object's own BTF ({@link ObjectImage#btf()}) keeps the declarations.
 */
final class KsymsBtf {

    private static final String DUMMY = "dummy_ksym";
    private static final int INT_SIZE = 4;

    private KsymsBtf() {
    }

    static Btf forKernel(Btf btf) {
        OptionalInt section = btf.datasecId(ExternsReader.KSYMS);
        if (section.isEmpty()) {
            return btf;
        }
        BtfType.Datasec datasec = btf.type(section.getAsInt(), BtfType.Datasec.class);
        List<BtfType> types = new ArrayList<>(btf.types().subList(1, btf.size()));
        int intId = intType(btf).orElseGet(() -> add(types, BtfType.Int.of("int", INT_SIZE, true)));
        int dummyId = 0;
        List<BtfType.VarSecinfo> entries = new ArrayList<>();
        for (BtfType.VarSecinfo entry : datasec.entries()) {
            int offset = entries.size() * INT_SIZE;
            switch (btf.type(entry.type())) {
                case BtfType.Var var -> {
                    types.set(entry.type() - 1, new BtfType.Var(var.name(), intId, BtfType.Linkage.GLOBAL));
                    entries.add(new BtfType.VarSecinfo(entry.type(), offset, INT_SIZE));
                }
                case BtfType.Func func -> {
                    if (dummyId == 0) {
                        dummyId = add(types, new BtfType.Var(DUMMY, intId, BtfType.Linkage.GLOBAL));
                    }
                    types.set(entry.type() - 1, new BtfType.Func(func.name(), func.type(), BtfType.Linkage.GLOBAL));
                    if (btf.type(func.type()) instanceof BtfType.FuncProto proto) {
                        types.set(func.type() - 1, new BtfType.FuncProto(proto.returnType(), proto.params().stream()
                                .map(p -> p.type() != 0 && p.name().isEmpty() ? new BtfType.Param(DUMMY, p.type()) : p)
                                .toList()));
                    }
                    entries.add(new BtfType.VarSecinfo(dummyId, offset, INT_SIZE));
                }
                default -> entries.add(entry); // BtfGraph lets only VARs and FUNCs into a DATASEC
            }
        }
        types.set(section.getAsInt() - 1, new BtfType.Datasec(datasec.name(), entries.size() * INT_SIZE, entries));
        return Btf.of(types, btf.byteOrder());
    }

    /** A 32-bit integer type the object already has, as libbpf's {@code find_int_btf_id} looks for one. */
    private static OptionalInt intType(Btf btf) {
        for (int id = 1; id < btf.size(); id++) {
            if (btf.type(id) instanceof BtfType.Int i && i.size() == INT_SIZE && i.bits() == 32 && i.bitOffset() == 0) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    private static int add(List<BtfType> types, BtfType type) {
        types.add(type);
        return types.size();
    }
}

package dev.bpfglobals.runtime.btf;

import java.nio.ByteOrder;
import java.util.List;

/** The smallest BTF blobs that use one newer kind each: the kernel loads a blob only if it knows the kind. */
final class BtfProbes {

    private static final BtfType.Int INT = new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32);

    private BtfProbes() {
    }

    static byte[] func(boolean global) {
        return blob(INT, new BtfType.FuncProto(1, List.of(new BtfType.Param("x", 1))),
                new BtfType.Func("probe", 2, global ? BtfType.Linkage.GLOBAL : BtfType.Linkage.STATIC));
    }

    static byte[] datasec() {
        return blob(INT, new BtfType.Var("probe", 1, BtfType.Linkage.STATIC),
                new BtfType.Datasec(".data", 4, List.of(new BtfType.VarSecinfo(2, 0, 4))));
    }

    static byte[] floats() {
        return blob(new BtfType.Float("float", 4));
    }

    static byte[] declTag() {
        return blob(INT, new BtfType.Var("probe", 1, BtfType.Linkage.STATIC), new BtfType.DeclTag("tag", 2, -1));
    }

    static byte[] typeTag() {
        return blob(INT, new BtfType.TypeTag("tag", 1), new BtfType.Ptr(2));
    }

    static byte[] enum64() {
        return blob(new BtfType.Enum64("probe", 8, false, List.of(new BtfType.Enum64Value("BIG", 1L << 40))));
    }

    private static byte[] blob(BtfType... types) {
        BtfBuilder builder = new BtfBuilder();
        for (BtfType type : types) {
            builder.add(type);
        }
        return BtfWriter.write(builder.build(), ByteOrder.nativeOrder());
    }
}

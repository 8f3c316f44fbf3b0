package dev.bpfglobals.runtime.btf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Btf} type by type, handing out ids as it goes:
 * <pre>{@code
 * BtfBuilder b = new BtfBuilder();
 * int u32 = b.add(new BtfType.Typedef("__u32", b.add(BtfType.Int.of("unsigned int", 4, false))));
 * int counter = b.add(new BtfType.Var("counter", u32, BtfType.Linkage.GLOBAL));
 * int percpu = b.add(new BtfType.Datasec(".percpu", 4, List.of(new BtfType.VarSecinfo(counter, 0, 4))));
 * byte[] bytes = BtfWriter.write(b.build());
 * }</pre>
 * A type may refer to an id handed out later ({@link #reserve}, then {@link #set}), as a struct
 * that points to itself must.
 */
public final class BtfBuilder {

    private final List<BtfType> types = new ArrayList<>();

    /** An empty builder; the first type added gets id 1. */
    public BtfBuilder() {
    }

    /** A builder holding {@code base}'s types under their ids, to extend or patch. */
    public BtfBuilder(Btf base) {
        types.addAll(base.types().subList(1, base.size()));
    }

    /** Adds {@code type} and returns its id. */
    public int add(BtfType type) {
        types.add(Objects.requireNonNull(type, "type"));
        return types.size();
    }

    /** Reserves an id for a type given later with {@link #set}; until then it is an empty struct. */
    public int reserve() {
        return add(new BtfType.Struct("", 0, List.of()));
    }

    /** Puts {@code type} at {@code id}, a reserved or already used id. */
    public void set(int id, BtfType type) {
        if (id < 1 || id > types.size()) {
            throw new IllegalArgumentException("no type id " + id + " to set; ids run 1.." + types.size());
        }
        types.set(id - 1, Objects.requireNonNull(type, "type"));
    }

    /** The type given id {@code id}. */
    public BtfType get(int id) {
        if (id < 1 || id > types.size()) {
            throw new IllegalArgumentException("no type id " + id + "; ids run 1.." + types.size());
        }
        return types.get(id - 1);
    }

    /** The id the next {@link #add} returns. */
    public int nextId() {
        return types.size() + 1;
    }

    /**
     * The checked BTF, in the host's byte order.
     *
     * @throws BtfFormatException if an id names no type or references loop
     */
    public Btf build() {
        return Btf.of(types, ByteOrder.nativeOrder());
    }
}

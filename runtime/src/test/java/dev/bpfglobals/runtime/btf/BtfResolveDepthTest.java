package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BTF chains are at most {@link Btf#MAX_RESOLVE_DEPTH} long, as the kernel and libbpf require:
 * a hostile object's 20,000-deep chain is refused where it passes the limit, not walked once per
 * DATASEC entry that names it.
 */
class BtfResolveDepthTest {


    @Test
    void thirtyTwoModifiersAreAccepted() {
        Btf btf = Btf.of(consts(32), ByteOrder.LITTLE_ENDIAN);

        assertThat(btf.cName(33)).isEqualTo("__s32");
        assertThat(btf.sizeOf(33)).isEqualTo(4);
    }

    @Test
    void theThirtyThirdModifierIsRefusedNamingItsTypeAndTheLimit() {
        assertThatThrownBy(() -> Btf.of(consts(33), ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(BtfFormatException.class)
                .hasMessage("invalid BTF: type 34 (CONST) is built on more than 32 pointers, modifiers, typedefs and"
                        + " arrays, past the kernel's resolve depth of 32");
    }

    @Test
    void aPointerChainCountsToo() {
        List<BtfType> types = new ArrayList<>(List.of(BtfType.Int.of("int", 4, true)));
        for (int i = 0; i < 33; i++) {
            types.add(new BtfType.Ptr(types.size()));
        }

        assertThatThrownBy(() -> Btf.of(types, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("type 34 (PTR) is built on more than 32");
    }

    @Test
    void twentyThousandNestedArraysListedTwentyThousandTimesAreRefusedWhenRead() {
        int arrays = 20_000;
        byte[] raw = RawBtf.of("\0int\0v\0.data\0", hostileWords(arrays, 20_000));

        assertThatThrownBy(() -> BtfReader.read(raw)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 34 (ARRAY) is built on more than 32")
                .hasMessageContaining("resolve depth of 32");
    }

    private static List<BtfType> consts(int count) {
        List<BtfType> types = new ArrayList<>(List.of(BtfType.Int.of("int", 4, true)));
        for (int i = 0; i < count; i++) {
            types.add(new BtfType.Const(types.size()));
        }
        return types;
    }

    /**
     * int (1), then {@code arrays} one-element arrays each of the previous, a VAR 'v' of the last,
     * and a {@code .data} DATASEC listing that VAR {@code entries} times.
     */
    private static int[] hostileWords(int arrays, int entries) {
        int words = 4 + 6 * arrays + 4 + 3 + 3 * entries;
        int[] out = new int[words];
        int at = 0;
        out[at++] = 1; // name "int"
        out[at++] = RawBtf.info(BtfKind.INT, 0);
        out[at++] = 4;
        out[at++] = 1 << 24 | 32; // signed, 32 bits
        for (int i = 0; i < arrays; i++) {
            out[at++] = 0;
            out[at++] = RawBtf.info(BtfKind.ARRAY, 0);
            out[at++] = 0;
            out[at++] = i + 1; // element: the previous type
            out[at++] = 1; // index type: int
            out[at++] = 1; // one element
        }
        int var = arrays + 2;
        out[at++] = 5; // name "v"
        out[at++] = RawBtf.info(BtfKind.VAR, 0);
        out[at++] = var - 1;
        out[at++] = 1; // global
        out[at++] = 7; // name ".data"
        out[at++] = RawBtf.info(BtfKind.DATASEC, entries);
        out[at++] = 4;
        for (int i = 0; i < entries; i++) {
            out[at++] = var;
            out[at++] = 0;
            out[at++] = 4;
        }
        return out;
    }
}

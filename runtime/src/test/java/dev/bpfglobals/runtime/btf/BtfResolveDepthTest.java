package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.HostileBtf;
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
        byte[] raw = HostileBtf.nestedArrays(20_000, 20_000);

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
}

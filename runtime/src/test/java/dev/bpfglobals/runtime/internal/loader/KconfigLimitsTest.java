package dev.bpfglobals.runtime.internal.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code __kconfig} externs are checked against a limit far below the kernel memory a hostile 1 KiB
 * object could otherwise make a load hold, before anything is allocated.
 */
class KconfigLimitsTest {

    @Test
    void aOneGibibyteKconfigArrayIsRefusedBeforeAnythingIsAllocated() {
        Btf btf = kconfig(1 << 30);

        assertThatThrownBy(() -> KconfigMap.of(btf, Map.of())).isInstanceOf(ObjectFormatException.class)
                .hasMessageContaining("__kconfig extern 'CONFIG_0' is 1073741824 bytes, over the 65536-byte limit");
    }

    @Test
    void kconfigExternsOverTheLimitTogetherAreRefused() {
        Btf btf = kconfig(40 * 1024, 40 * 1024);

        assertThatThrownBy(() -> KconfigMap.of(btf, Map.of())).isInstanceOf(ObjectFormatException.class)
                .hasMessageContaining("__kconfig externs take more than 65536 bytes together");
    }

    @Test
    void kconfigExternsWithinTheLimitAreLaidOut() {
        KconfigMap map = KconfigMap.of(kconfig(16, 32 * 1024), Map.of());

        assertThat(map.size()).isEqualTo(16 + 32 * 1024);
    }

    /** A char, then per length a char array, an extern VAR CONFIG_i of it, and a .kconfig DATASEC listing them. */
    private static Btf kconfig(int... lengths) {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Int("char", 1, BtfType.Int.CHAR, 0, 8)));
        List<BtfType.VarSecinfo> entries = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            types.add(new BtfType.Array(1, 1, lengths[i]));
            types.add(new BtfType.Var("CONFIG_" + i, types.size(), BtfType.Linkage.EXTERN));
            entries.add(new BtfType.VarSecinfo(types.size(), 0, lengths[i]));
        }
        types.add(new BtfType.Datasec(KconfigMap.SECTION, 0, entries));
        return Btf.of(types, ByteOrder.LITTLE_ENDIAN);
    }
}

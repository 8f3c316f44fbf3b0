package dev.bpfglobals.runtime.internal.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.kernelenv.KernelConfig;
import dev.bpfglobals.runtime.internal.loader.KconfigMap.Entry;
import dev.bpfglobals.runtime.internal.loader.KconfigMap.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The values libbpf writes for a configuration line, by the extern's type, including the ones this
 * host's configuration cannot show (no module is built here, so no {@code =m}).
 */
class KconfigValuesTest {

    private static Entry entry(ValueType type, boolean signed, int size) {
        return new Entry("CONFIG_X", false, 1, type, signed, 0, size, Math.min(size, 8));
    }

    private static ByteBuffer write(Entry entry, String value) {
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        KconfigMap.write(entry, value, out);
        return out;
    }

    @Test
    void aModuleIsTristateTwoAndACharM() {
        assertThat(write(entry(ValueType.TRISTATE, false, 4), "m").getInt(0)).isEqualTo(2);
        assertThat(write(entry(ValueType.TRISTATE, false, 4), "y").getInt(0)).isEqualTo(1);
        assertThat(write(entry(ValueType.TRISTATE, false, 4), "n").getInt(0)).isZero();
        assertThat(write(entry(ValueType.CHAR, false, 1), "m").get(0)).isEqualTo((byte) 'm');
    }

    @Test
    void aModuleIntoABoolIsRefusedNamingTheTypesThatHoldIt() {
        assertThatThrownBy(() -> write(entry(ValueType.BOOL, false, 1), "m"))
                .hasMessage("__kconfig extern 'CONFIG_X' (bool) and the kernel's value 'm': 'm' (a module) needs enum "
                        + "libbpf_tristate or char");
    }

    @Test
    void numbersAreReadAsStrtoullReadsThemAndCheckedAgainstTheType() {
        assertThat(write(entry(ValueType.INT, false, 8), "0xdead000000000000").getLong(0)).isEqualTo(0xdead000000000000L);
        assertThat(write(entry(ValueType.INT, false, 4), "010").getInt(0)).isEqualTo(8);
        assertThat(write(entry(ValueType.INT, true, 4), "-5").getInt(0)).isEqualTo(-5);
        assertThatThrownBy(() -> write(entry(ValueType.INT, false, 1), "256")).hasMessageEndingWith("does not fit in 1 bytes");
        assertThatThrownBy(() -> write(entry(ValueType.INT, true, 1), "128")).hasMessageEndingWith("does not fit in 1 bytes");
        assertThatThrownBy(() -> write(entry(ValueType.BOOL, false, 1), "1")).hasMessageEndingWith("a number needs an integer type");
        assertThatThrownBy(() -> write(entry(ValueType.INT, false, 4), "12abc")).hasMessageEndingWith("not a valid integer");
    }

    @Test
    void stringsFillCharArraysTruncatedWithTheirNulAndNothingElse() {
        ByteBuffer out = write(entry(ValueType.CHAR_ARRAY, false, 4), "\"abcdef\"");
        assertThat(new byte[] {out.get(0), out.get(1), out.get(2), out.get(3)}).containsExactly('a', 'b', 'c', 0);
        assertThatThrownBy(() -> write(entry(ValueType.INT, false, 4), "\"abc\"")).hasMessageEndingWith("a string needs a char array");
    }

    @Test
    void configurationLinesAreReadAsLibbpfReadsThem() {
        var values = KernelConfig.parse(Stream.of("# CONFIG_A is not set", "CONFIG_B=y", "CONFIG_C=\"x y\"", "CONFIG_B=n"));

        assertThat(values).containsExactly(java.util.Map.entry("CONFIG_B", "y"), java.util.Map.entry("CONFIG_C", "\"x y\""));
        assertThatThrownBy(() -> KernelConfig.parse(Stream.of("CONFIG_D="))).hasMessage("kernel configuration line 'CONFIG_D=' has no value");
    }

    @Test
    void kernelVersionCapsThePatchAt255AsKernelVersionDoes() {
        assertThat(KernelConfig.version("6.18.44-fc-v1045")).contains((6 << 16) + (18 << 8) + 44);
        assertThat(KernelConfig.version("4.19.300")).contains((4 << 16) + (19 << 8) + 255);
        assertThat(KernelConfig.version("6.18+deb14-amd64")).isEmpty();
    }
}

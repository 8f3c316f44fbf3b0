package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the writer encodes, the reader reads back as the same types. */
class BtfWriterTest {

    /** One type of every kind, with the fields that have special encodings (bitfields, 64-bit enums, signs). */
    static Btf everyKind() {
        BtfBuilder b = new BtfBuilder();
        int uint = b.add(BtfType.Int.of("unsigned int", 4, false));
        int u32 = b.add(new BtfType.Typedef("__u32", uint));
        int index = b.add(BtfType.Int.of("__ARRAY_SIZE_TYPE__", 4, false));
        int node = b.reserve();
        int pointer = b.add(new BtfType.Ptr(node));
        int array = b.add(new BtfType.Array(u32, index, 8));
        b.set(node, new BtfType.Struct("node", 48, List.of(
                new BtfType.Member("next", pointer, 0, 0),
                new BtfType.Member("flags", u32, 64, 3),
                new BtfType.Member("rest", u32, 67, 29),
                new BtfType.Member("slots", array, 96, 0))));
        b.add(new BtfType.Union("either", 4, List.of(new BtfType.Member("a", u32, 0, 0))));
        b.add(new BtfType.Enum("state", 4, true, List.of(new BtfType.EnumValue("OFF", -1), new BtfType.EnumValue("ON", 1))));
        b.add(new BtfType.Enum64("wide", 8, false, List.of(new BtfType.Enum64Value("BIG", 0x8000_0000_0000_0001L))));
        b.add(new BtfType.Fwd("later", true));
        int cv = b.add(new BtfType.Volatile(b.add(new BtfType.Const(u32))));
        b.add(new BtfType.Restrict(pointer));
        b.add(new BtfType.TypeTag("user", pointer));
        int proto = b.add(new BtfType.FuncProto(uint, List.of(new BtfType.Param("ctx", pointer), new BtfType.Param("", 0))));
        int func = b.add(new BtfType.Func("handler", proto, BtfType.Linkage.GLOBAL));
        int var = b.add(new BtfType.Var("mode", cv, BtfType.Linkage.STATIC));
        b.add(new BtfType.Datasec(".rodata", 4, List.of(new BtfType.VarSecinfo(var, 0, 4))));
        b.add(new BtfType.Float("double", 8));
        b.add(new BtfType.DeclTag("hot", func, -1));
        b.add(new BtfType.DeclTag("arg", func, 0));
        return b.build();
    }

    @Test
    void everyKindRoundTrips() {
        Btf btf = everyKind();

        assertThat(BtfReader.read(BtfWriter.write(btf))).isEqualTo(btf);
        assertThat(btf.types()).extracting(BtfType::kind).containsAll(List.of(BtfKind.values()));
    }

    @Test
    void writesEitherByteOrder() {
        Btf btf = everyKind();

        Btf big = BtfReader.read(BtfWriter.write(btf, ByteOrder.BIG_ENDIAN));
        Btf little = BtfReader.read(BtfWriter.write(btf, ByteOrder.LITTLE_ENDIAN));

        assertThat(big.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(little.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(big.types()).isEqualTo(btf.types()).isEqualTo(little.types());
    }

    @Test
    void clangsBtfRoundTrips() throws Exception {
        Btf clang = BtfReader.read(BtfReaderTest.clangBtf("globals"));

        assertThat(BtfReader.read(BtfWriter.write(clang))).isEqualTo(clang);
    }

    @Test
    void theKernelsBtfRoundTrips() throws Exception {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        assumeThat(Files.isReadable(vmlinux)).as("kernel BTF at " + vmlinux).isTrue();
        Btf kernel = BtfReader.read(Files.readAllBytes(vmlinux));

        assertThat(BtfReader.read(BtfWriter.write(kernel))).isEqualTo(kernel);
    }

    @Test
    void eachNameIsStoredOnce() {
        BtfBuilder b = new BtfBuilder();
        int uint = b.add(BtfType.Int.of("unsigned int", 4, false));
        for (int i = 0; i < 100; i++) {
            b.add(new BtfType.Typedef("__u32", uint));
        }
        byte[] bytes = BtfWriter.write(b.build());

        int stringLength = java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(20);
        assertThat(stringLength).isEqualTo(1 + "unsigned int".length() + 1 + "__u32".length() + 1);
    }

    @Test
    void nameWithANulCharacterCannotBeWritten() {
        BtfBuilder b = new BtfBuilder();
        b.add(BtfType.Int.of("bad\0name", 4, false));
        Btf btf = b.build();

        assertThatThrownBy(() -> BtfWriter.write(btf)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    @Test
    void bitOffsetTooWideForABitfieldStructCannotBeWritten() {
        BtfBuilder b = new BtfBuilder();
        int uint = b.add(BtfType.Int.of("unsigned int", 4, false));
        b.add(new BtfType.Struct("s", 4_000_000, List.of(new BtfType.Member("a", uint, 0, 1),
                new BtfType.Member("far", uint, 1 << 25, 0))));
        Btf btf = b.build();

        assertThatThrownBy(() -> BtfWriter.write(btf)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit 24 bits");
    }
}

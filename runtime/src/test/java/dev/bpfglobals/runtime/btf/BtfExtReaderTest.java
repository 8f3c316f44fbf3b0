package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Function, line and CO-RE records of .BTF.ext, and refusals of broken ones. */
class BtfExtReaderTest {

    private static BtfExt read(String object) throws Exception {
        Path path = BpfObjects.compile(object);
        return BtfExtReader.read(BpfObjects.section(path, ".BTF.ext"), BpfObjects.section(path, ".BTF"));
    }

    @Test
    void funcInfoNamesEveryFunctionAtItsFirstInstruction() throws Exception {
        Path path = BpfObjects.compile("calls");
        Btf btf = BtfReader.read(BpfObjects.section(path, ".BTF"));
        BtfExt ext = BtfExtReader.read(BpfObjects.section(path, ".BTF.ext"), BpfObjects.section(path, ".BTF"));

        assertThat(ext.funcInfo()).extracting(f -> f.section() + ":" + f.instruction() + ":" + btf.type(f.typeId()).name())
                .contains(".text:0:global_add", ".text:3:add", "xdp:0:on_packet", "tc:0:on_skb");
        assertThat(ext.funcInfo()).allSatisfy(f -> assertThat(btf.type(f.typeId())).isInstanceOf(BtfType.Func.class));
    }

    @Test
    void lineInfoPointsIntoTheSource() throws Exception {
        BtfExt ext = read("calls");

        assertThat(ext.lineInfo()).isNotEmpty();
        assertThat(ext.lineInfo()).allSatisfy(l -> assertThat(l.fileName()).endsWith("calls.bpf.c"));
        assertThat(ext.lineInfo()).anySatisfy(l -> assertThat(l.line()).contains("return add(1);"));
        assertThat(ext.coreRelocations()).isEmpty();
    }

    @Test
    void coreFieldAccessIsRecordedAsACoreRelocation() throws Exception {
        BtfExt ext = read("core");

        assertThat(ext.coreRelocations()).singleElement().satisfies(core -> {
            assertThat(core.section()).isEqualTo("raw_tp/sys_enter");
            assertThat(core.accessString()).isEqualTo("0:1"); // task->tgid: member 1 of element 0
            assertThat(core.kindName()).isEqualTo("field byte offset");
        });
    }

    @Test
    void bigEndianObjectReadsTheSame() throws Exception {
        Path path = BpfObjects.compileBigEndian("calls");

        BtfExt big = BtfExtReader.read(BpfObjects.section(path, ".BTF.ext"), BpfObjects.section(path, ".BTF"));

        assertThat(big).isEqualTo(read("calls"));
    }

    @Test
    void recordCountBeyondTheSectionIsRefused() throws Exception {
        Path path = BpfObjects.compile("calls");
        byte[] ext = BpfObjects.section(path, ".BTF.ext");
        ByteBuffer bytes = ByteBuffer.wrap(ext).order(ByteOrder.LITTLE_ENDIAN);
        int funcInfo = bytes.getInt(4) + bytes.getInt(8); // header length + func_info offset
        bytes.putInt(funcInfo + 8, 0x10000000); // the first section's record count

        assertThatThrownBy(() -> BtfExtReader.read(ext, BpfObjects.section(path, ".BTF")))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("268435456 records of 8 bytes do not fit");
    }

    @Test
    void absurdRecordSizeIsRefused() throws Exception {
        Path path = BpfObjects.compile("calls");
        byte[] ext = BpfObjects.section(path, ".BTF.ext");
        ByteBuffer bytes = ByteBuffer.wrap(ext).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(bytes.getInt(4) + bytes.getInt(16), 3); // line_info record size

        assertThatThrownBy(() -> BtfExtReader.read(ext, BpfObjects.section(path, ".BTF")))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("line_info: record size 3");
    }

    @Test
    void everyTruncationIsAFormatError() throws Exception {
        Path path = BpfObjects.compile("calls");
        byte[] good = BpfObjects.section(path, ".BTF.ext");
        byte[] btf = BpfObjects.section(path, ".BTF");
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> BtfExtReader.read(cut, btf)).as("cut at %d", length).isInstanceOf(BtfFormatException.class);
        }
    }
}

package dev.bpfglobals.runtime.btf;

import static dev.bpfglobals.runtime.btf.RawBtf.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading clang's and the kernel's BTF, and refusing broken BTF with one clear exception. */
class BtfReaderTest {

    static byte[] clangBtf(String object) throws Exception {
        return BpfObjects.section(BpfObjects.compile(object), ".BTF");
    }

    @Test
    void clangsPercpuDatasecListsEveryVariableWithOffsetsLeftZero() throws Exception {
        Btf btf = BtfReader.read(clangBtf("globals"));

        BtfType.Datasec percpu = btf.datasec(".percpu").orElseThrow();
        assertThat(percpu.entries()).extracting(e -> btf.type(e.type()).name()).containsExactly("a", "b", "c", "d", "name", "e");
        assertThat(percpu.entries()).extracting(e -> btf.cName(e.type()))
                .containsExactly("__u8", "__u64", "__u16", "struct pair", "__s8[5]", "__u8");
        assertThat(percpu.entries()).extracting(BtfType.VarSecinfo::size).containsExactly(1, 8, 2, 8, 5, 1);
        // clang leaves the DATASEC's size and every offset 0; libbpf's btf_fixup_datasec (and our
        // DatasecFixup) fill them in from the ELF section header and the symbols' st_value.
        assertThat(percpu.size()).isZero();
        assertThat(percpu.entries()).extracting(BtfType.VarSecinfo::offset).containsOnly(0);
        assertThat(btf.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void bigEndianObjectReadsAsTheSameTypes() throws Exception {
        Btf little = BtfReader.read(clangBtf("globals"));
        Btf big = BtfReader.read(BpfObjects.section(BpfObjects.compileBigEndian("globals"), ".BTF"));

        assertThat(big.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(big.types()).isEqualTo(little.types());
    }

    @Test
    void readsTheRunningKernelsBtf() throws Exception {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        assumeThat(Files.isReadable(vmlinux)).as("kernel BTF at " + vmlinux).isTrue();

        Btf kernel = BtfReader.read(Files.readAllBytes(vmlinux));

        int task = kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow();
        assertThat(kernel.size()).isGreaterThan(10_000);
        assertThat(kernel.sizeOf(task)).isGreaterThan(1000);
        assertThat(kernel.cName(kernel.find(BtfKind.TYPEDEF, "__u64").orElseThrow())).isEqualTo("__u64");
    }

    @Test
    void readsFromABufferPositionWithoutMovingIt() throws Exception {
        byte[] btf = clangBtf("globals");
        ByteBuffer padded = ByteBuffer.allocate(btf.length + 16).put(8, btf).position(8).limit(8 + btf.length);

        assertThat(BtfReader.read(padded).types()).isEqualTo(BtfReader.read(btf).types());
        assertThat(padded.position()).isEqualTo(8);
    }

    @Test
    void inputShorterThanTheHeaderIsRefused() {
        assertThatThrownBy(() -> BtfReader.read(new byte[10]))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("the header alone is 24");
    }

    @Test
    void wrongMagicIsRefusedInEitherByteOrder() {
        byte[] bytes = RawBtf.of("\0");
        bytes[0] = 0x12;

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class).hasMessageContaining("magic");
    }

    @Test
    void unknownVersionAndFlagsAreRefused() {
        byte[] version = RawBtf.of("\0");
        version[2] = 2;
        byte[] flags = RawBtf.of("\0");
        flags[3] = 1;

        assertThatThrownBy(() -> BtfReader.read(version)).isInstanceOf(BtfFormatException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> BtfReader.read(flags)).isInstanceOf(BtfFormatException.class).hasMessageContaining("flags 0x1");
    }

    @Test
    void sectionsRunningPastTheInputAreRefused() {
        byte[] bytes = RawBtf.of("\0s\0", 1, info(BtfKind.INT, 0), 4, 32);
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(12, 1_000_000);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type section at 0 with 1000000 bytes");
    }

    @Test
    void stringSectionMustBeNulTerminated() {
        assertThatThrownBy(() -> BtfReader.read(RawBtf.of("\0abc")))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("NUL");
    }

    @Test
    void nameOffsetOutsideTheStringSectionNamesTheType() {
        byte[] bytes = RawBtf.of("\0s\0", 99, info(BtfKind.INT, 0), 4, 32);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 1: name offset 99 is outside the 3-byte BTF string section");
    }

    @Test
    void hugeMemberCountIsRefusedBeforeAnythingIsAllocated() {
        byte[] bytes = RawBtf.of("\0s\0", 1, info(BtfKind.STRUCT, 0xffff), 8);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("786420 bytes needed for 65535 members, but the type section has 0 left");
    }

    @Test
    void unknownKindIsRefused() {
        assertThatThrownBy(() -> BtfReader.read(RawBtf.of("\0", 0, 30 << 24, 0)))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("unknown kind 30");
    }

    @Test
    void referenceToAMissingTypeIsRefused() {
        byte[] bytes = RawBtf.of("\0t\0", 1, info(BtfKind.TYPEDEF, 0), 7);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 1 (TYPEDEF 't') refers to type 7, but the last type is 1");
    }

    @Test
    void typedefLoopIsRefusedNotWalkedForever() {
        byte[] bytes = RawBtf.of("\0a\0b\0",
                1, info(BtfKind.TYPEDEF, 0), 2,
                3, info(BtfKind.TYPEDEF, 0), 1);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type reference loop");
    }

    @Test
    void structContainingItselfIsRefused() {
        byte[] bytes = RawBtf.of("\0s\0x\0", 1, info(BtfKind.STRUCT, 1), 8, 3, 1, 0);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("contains itself");
    }

    @Test
    void pointerChainThatNeverEndsIsRefused() {
        // ptr -> const -> ptr: no struct in between to stop at
        byte[] bytes = RawBtf.of("\0", 0, info(BtfKind.PTR, 0), 2, 0, info(BtfKind.CONST, 0), 1);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("never ends");
    }

    @Test
    void structPointingToItselfIsFine() {
        // struct node { struct node *next; }
        byte[] bytes = RawBtf.of("\0node\0next\0",
                1, info(BtfKind.STRUCT, 1), 8, 6, 2, 0,
                0, info(BtfKind.PTR, 0), 1);

        Btf btf = BtfReader.read(bytes);

        assertThat(btf.cName(1)).isEqualTo("struct node");
        assertThat(btf.cName(2)).isEqualTo("struct node *");
        assertThat(btf.sizeOf(1)).isEqualTo(8);
    }

    @Test
    void sizeBeyondTwoGigabytesIsRefused() {
        byte[] bytes = RawBtf.of("\0s\0", 1, info(BtfKind.STRUCT, 0), 0x80000000);

        assertThatThrownBy(() -> BtfReader.read(bytes)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 1 at byte 24: STRUCT 's' size is 2147483648");
    }

    @Test
    void truncatedTypeIsRefusedNamingIt() throws Exception {
        byte[] good = clangBtf("globals");
        ByteBuffer bytes = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(12, 30); // the type section now ends inside type 3

        assertThatThrownBy(() -> BtfReader.read(bytes.array())).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 3 at byte");
    }

    @Test
    void everyTruncationOfRealBtfIsAFormatError() throws Exception {
        byte[] good = clangBtf("globals");
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> BtfReader.read(cut)).as("cut at %d", length).isInstanceOf(BtfFormatException.class);
        }
    }

    @Test
    void modelListsAreImmutable() throws Exception {
        Btf btf = BtfReader.read(clangBtf("globals"));
        List<BtfType.VarSecinfo> entries = btf.datasec(".percpu").orElseThrow().entries();

        assertThatThrownBy(() -> entries.add(entries.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> btf.types().set(1, BtfType.Void.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
    }
}

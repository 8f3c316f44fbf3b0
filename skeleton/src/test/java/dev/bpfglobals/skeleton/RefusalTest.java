package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the generator refuses, each in one line naming what is wrong (the type and the member, for C constructs). */
class RefusalTest {

    @TempDir
    Path out;

    private void generate(Path object) throws Exception {
        SkeletonWriter.write(object, "refused", null, out, out);
    }

    @Test
    void aFileThatIsNotABpfObject() throws Exception {
        Path junk = Files.write(out.resolve("junk.o"), "not an ELF file, but long enough to hold an ELF header's 64 bytes".getBytes());
        assertThatThrownBy(() -> generate(junk)).isInstanceOf(SkeletonException.class)
                .hasMessage(junk + " is not a BPF object this tool can read: not a valid BPF object: no ELF magic (7f 45 4c 46)"
                        + " at the start of the file");
    }

    @Test
    void aClassNameOfAClassTheSkeletonNestsIsRefused() throws Exception {
        Path object = BpfObjects.compile("names");
        assertThatThrownBy(() -> SkeletonWriter.write(object, "refused", "Codec", out, out)).isInstanceOf(SkeletonException.class)
                .hasMessage("'Codec' is the name of a class the skeleton nests (Spec, Maps, Programs, ScalarCodec, Codec): name the"
                        + " skeleton otherwise (gen skeleton --name, or rename the object)");
    }

    @Test
    void aBitfieldOfABigEndianObjectIsRefusedNamingIt() throws Exception {
        // BTF counts a big-endian bitfield's bits from the other end; the readers would read the neighbour's.
        Path object = BpfObjects.compileBigEndian("bitfields");
        assertThatThrownBy(() -> generate(object)).isInstanceOf(SkeletonException.class)
                .hasMessageEndingWith("in a big-endian object (-target bpfeb): skeletons map bitfields of little-endian objects only");
    }

    @Test
    void anObjectWithoutBtf() throws Exception {
        Path object = BpfObjects.compileWithoutDebugInfo("names");
        assertThatThrownBy(() -> generate(object)).isInstanceOf(SkeletonException.class)
                .hasMessage(object + " is not a BPF object this tool can read: not a valid BPF object: section .maps declares maps,"
                        + " but the object has no .BTF to describe them; compile with -g");
    }

    @Test
    void anEnumBitfieldNamesItsStructAndMember() throws Exception {
        Path object = BpfObjects.compileVariant("names", "bitfield", "-DBITFIELD");
        assertThatThrownBy(() -> generate(object)).isInstanceOf(SkeletonException.class)
                .hasMessage("struct flags_holder member 'class_bits' is a 4-bit bitfield of enum traffic_class, and skeletons map"
                        + " only integer bitfields; make it an integer or read the bytes yourself");
    }

    @Test
    void aFlexibleArrayNamesItsStructAndMember() throws Exception {
        Path object = BpfObjects.compileVariant("names", "flex", "-DFLEX");
        assertThatThrownBy(() -> generate(object)).isInstanceOf(SkeletonException.class)
                .hasMessage("struct packet member 'data' is a flexible array member, whose length the object does not say;"
                        + " skeletons do not support it");
    }

    @Test
    void anIntegerWiderThanEightBytesNamesItsVariable() throws Exception {
        Path object = BpfObjects.compileVariant("names", "int128", "-DINT128");
        assertThatThrownBy(() -> generate(object)).isInstanceOf(SkeletonException.class)
                .hasMessage("variable 'big' of .bss: __s128 is a 16-byte integer, which has no Java primitive");
    }

    @Test
    void aNameThatIsNoJavaPackage() throws Exception {
        Path object = BpfObjects.compile("names");
        assertThatThrownBy(() -> SkeletonWriter.write(object, "com.1st", null, out, out)).isInstanceOf(SkeletonException.class)
                .hasMessage("'com.1st' is not a Java package name");
    }
}

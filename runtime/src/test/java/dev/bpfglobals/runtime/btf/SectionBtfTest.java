package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section BTF written from a contract reads back as the same layout; broken BTF fails clearly. */
class SectionBtfTest {

    private static final SectionContract SECTION = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 34, 1, 8, List.of(
            new VariableContract("a", "__u8", 0, 1, 1),
            new VariableContract("b", "__u64", 8, 8, 8),
            new VariableContract("c", "__s16", 16, 2, 2),
            new VariableContract("d", "struct d", 20, 8, 4),
            new VariableContract("name", "__s8[5]", 28, 5, 1),
            new VariableContract("e", "_Bool", 33, 1, 1)));

    /** Lines of bpftool's plain BTF dump: a type that only points at another, a value type, a DATASEC entry, a member. */
    private static final Pattern MODIFIER = Pattern.compile("\\[\\d+] (?:TYPEDEF|CONST|VOLATILE|RESTRICT|TYPE_TAG) .*type_id=(\\d+).*");
    private static final Pattern VALUE_TYPE = Pattern.compile("\\[\\d+] (DATASEC|STRUCT|UNION) '.*' size=(\\d+) vlen=\\d+");
    private static final Pattern DATASEC_ENTRY = Pattern.compile("\\ttype_id=\\d+ offset=(\\d+) size=(\\d+) \\(\\w+ '(.*)'\\)");
    private static final Pattern MEMBER = Pattern.compile("\\t'(.*)' type_id=\\d+ bits_offset=(\\d+).*");

    @Test
    void writtenDatasecReadsBackWithEveryNameOffsetAndSize() {
        SectionBtfWriter.Encoded btf = SectionBtfWriter.encode(SECTION);

        SectionContract read = SectionBtfReader.valueLayout(btf.bytes(), btf.datasecId(), ".percpu", MapType.PERCPU_ARRAY);

        assertThat(read.valueSize()).isEqualTo(34);
        assertThat(read.variables()).extracting(VariableContract::name).containsExactly("a", "b", "c", "d", "name", "e");
        assertThat(read.variables()).extracting(VariableContract::offset).containsExactly(0, 8, 16, 20, 28, 33);
        assertThat(read.variables()).extracting(VariableContract::size).containsExactly(1, 8, 2, 8, 5, 1);
    }

    @Test
    void writtenDatasecReadsBackWithEveryCTypeAsTheContractSpellsIt() {
        SectionContract withEnum = new SectionContract(".data", MapType.ARRAY, 4, 48, 1, 8, List.of(
                new VariableContract("state", "enum state", 0, 4, 4),
                new VariableContract("slots", "__u32[8]", 4, 32, 4),
                new VariableContract("flow", "struct flow", 36, 12, 4)));
        SectionBtfWriter.Encoded btf = SectionBtfWriter.encode(withEnum);

        SectionContract read = SectionBtfReader.valueLayout(btf.bytes(), btf.datasecId(), ".data", MapType.ARRAY);

        assertThat(read.variables()).extracting(VariableContract::cType).containsExactly("enum state", "__u32[8]", "struct flow");
        assertThat(read.variables()).extracting(VariableContract::size).containsExactly(4, 32, 12);
        SectionContract percpu = SectionBtfReader.valueLayout(SectionBtfWriter.encode(SECTION).bytes(),
                SectionBtfWriter.encode(SECTION).datasecId(), ".percpu", MapType.PERCPU_ARRAY);
        assertThat(percpu.variables()).extracting(VariableContract::cType)
                .containsExactlyElementsOf(SECTION.variables().stream().map(VariableContract::cType).toList());
    }

    @Test
    void cTypeThatDisagreesWithTheSizeKeepsTheSize() {
        SectionContract odd = new SectionContract(".data", MapType.ARRAY, 4, 24, 1, 8,
                List.of(new VariableContract("x", "__u64", 0, 24, 8), new VariableContract("y", "float", 24, 4, 4)));
        SectionBtfWriter.Encoded btf = SectionBtfWriter.encode(odd);

        SectionContract read = SectionBtfReader.valueLayout(btf.bytes(), btf.datasecId(), ".data", MapType.ARRAY);

        assertThat(read.variables()).extracting(VariableContract::cType).containsExactly("__u8[24]", "__u8[4]");
    }

    @Test
    @dev.bpfglobals.runtime.testing.RequiresBpf
    void theKernelAcceptsTheWrittenBtf() {
        SectionContract withEnum = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 40, 1, 8, List.of(
                new VariableContract("state", "enum state", 0, 4, 4),
                new VariableContract("flow", "struct flow", 4, 12, 4),
                new VariableContract("ok", "_Bool", 16, 1, 1),
                new VariableContract("total", "__s64[2]", 24, 16, 8)));

        try (var fd = dev.bpfglobals.runtime.internal.BtfObjects.load(SectionBtfWriter.encode(withEnum).bytes())) {
            assertThat(fd.value()).isPositive();
        }
    }

    @Test
    void anonymousStructsStayNamelessEachWithItsOwnSize() {
        SectionContract anonymous = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 48, 1, 4, List.of(
                new VariableContract("record", "struct <anonymous>", 0, 36, 4),
                new VariableContract("pair", "struct <anonymous>", 36, 8, 4),
                new VariableContract("pairs", "struct <anonymous>[1]", 44, 4, 4)));

        SectionBtfWriter.Built built = SectionBtfWriter.build(anonymous);

        List<BtfType.Struct> structs = built.btf().types().stream()
                .filter(t -> t instanceof BtfType.Struct).map(t -> (BtfType.Struct) t).toList();
        assertThat(structs).extracting(BtfType.Struct::name).containsOnly("");
        assertThat(structs).extracting(BtfType.Struct::size).containsExactly(36, 8, 4);
        SectionContract read = SectionBtfReader.valueLayout(built.btf(), built.datasecId(), ".percpu", MapType.PERCPU_ARRAY);
        assertThat(read.variables()).extracting(VariableContract::cType)
                .containsExactly("struct <anonymous>", "struct <anonymous>", "struct <anonymous>[1]");
        // name_off 0: the writer stores no "<anonymous>" string at all.
        assertThat(new String(BtfWriter.write(built.btf()), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("anonymous");
    }

    @Test
    @dev.bpfglobals.runtime.testing.RequiresBpf
    void theKernelAcceptsTheBtfOfAnonymousStructs() {
        SectionContract anonymous = new SectionContract(".percpu.extra", MapType.PERCPU_ARRAY, 4, 40, 1, 4, List.of(
                new VariableContract("record", "struct <anonymous>", 0, 36, 4),
                new VariableContract("state", "enum <anonymous>", 36, 4, 4)));

        // The kernel checks every name as a C identifier: "<anonymous>" was refused ("Invalid name").
        try (var fd = dev.bpfglobals.runtime.internal.BtfObjects.load(SectionBtfWriter.encode(anonymous).bytes())) {
            assertThat(fd.value()).isPositive();
        }
    }

    @Test
    void truncatedBtfIsAFormatError() {
        byte[] bytes = SectionBtfWriter.encode(SECTION).bytes();

        assertThatThrownBy(() -> SectionBtfReader.valueLayout(Arrays.copyOf(bytes, 10), 1, ".percpu", MapType.PERCPU_ARRAY))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("header alone is 24");
        assertThatThrownBy(() -> SectionBtfReader.valueLayout(Arrays.copyOf(bytes, 40), 1, ".percpu", MapType.PERCPU_ARRAY))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("runs past the");
    }

    @Test
    void typeIdOutOfRangeIsAFormatError() {
        byte[] bytes = SectionBtfWriter.encode(SECTION).bytes();

        assertThatThrownBy(() -> SectionBtfReader.valueLayout(bytes, 999, ".percpu", MapType.PERCPU_ARRAY))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("no type id 999");
    }

    @Test
    void typedefLoopIsAFormatErrorNotAHang() {
        // type 1: struct s { x: type 2 }, type 2: typedef -> 3, type 3: typedef -> 2
        ByteBuffer types = ByteBuffer.allocate(12 + 12 + 12 + 12).order(ByteOrder.nativeOrder());
        types.putInt(1).putInt((4 << 24) | 1).putInt(8).putInt(1).putInt(2).putInt(0);
        types.putInt(0).putInt(8 << 24).putInt(3);
        types.putInt(0).putInt(8 << 24).putInt(2);
        byte[] strings = {0, 's', 0};
        ByteBuffer btf = ByteBuffer.allocate(24 + types.capacity() + strings.length).order(ByteOrder.nativeOrder());
        btf.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(types.capacity())
                .putInt(types.capacity()).putInt(strings.length).put(types.array()).put(strings);

        assertThatThrownBy(() -> SectionBtfReader.valueLayout(btf.array(), 1, ".percpu", MapType.PERCPU_ARRAY))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("type reference loop");
    }

    @Test
    void randomCorruptionEndsInAFormatErrorOrAResultThatBpftoolReadsTheSame(@TempDir Path dir) throws Exception {
        SectionBtfWriter.Encoded encoded = SectionBtfWriter.encode(SECTION);
        byte[] good = encoded.bytes();
        Path file = dir.resolve("corrupt.btf");
        Random random = new Random(20261125);
        int formatErrors = 0;
        int results = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] bad = good.clone();
            for (int flips = 0; flips < 1 + random.nextInt(4); flips++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            // Mostly the section's DATASEC, which a flip may have changed; else any id, up to two past the last.
            int id = random.nextBoolean() ? encoded.datasecId() : 1 + random.nextInt(encoded.datasecId() + 2);
            String corruption = "corrupt BTF " + i + " read at type " + id;
            Throwable thrown = catchThrowable(() -> SectionBtfReader.valueLayout(bad, id, ".percpu", MapType.PERCPU_ARRAY));
            if (thrown != null) {
                formatErrors++;
                assertThat(thrown).as("what reading %s ends in", corruption)
                        .isInstanceOf(BtfFormatException.class).hasMessageStartingWith("invalid BTF: ");
                continue;
            }
            results++;
            SectionContract read = SectionBtfReader.valueLayout(bad, id, ".percpu", MapType.PERCPU_ARRAY);
            Files.write(file, bad);
            Map<Integer, List<String>> shown = bpftoolTypes(file);
            List<String> value = shown.get(id);
            for (Matcher modifier; (modifier = MODIFIER.matcher(value.get(0))).matches(); ) {
                value = shown.get(Integer.parseInt(modifier.group(1)));
            }
            Matcher header = VALUE_TYPE.matcher(value.get(0));
            assertThat(header.matches()).as("bpftool shows %s as a DATASEC, STRUCT or UNION: %s", corruption, value.get(0))
                    .isTrue();
            assertThat(read.valueSize()).as("value size of %s, as bpftool reads it", corruption)
                    .isEqualTo(Integer.parseInt(header.group(2)));
            boolean datasec = header.group(1).equals("DATASEC");
            assertThat(read.variables()).as("the variables of %s, as bpftool reads them", corruption)
                    .extracting(v -> v.name() + "@" + v.offset() + (datasec ? "+" + v.size() : ""))
                    .containsExactlyElementsOf(value.subList(1, value.size()).stream().map(SectionBtfTest::entry).toList());
        }
        assertThat(formatErrors).as("corruptions that end in a format error").isGreaterThan(100);
        assertThat(results).as("corruptions that end in a result, checked against bpftool").isGreaterThan(100);
    }

    /** A DATASEC entry or member line of bpftool's dump as {@code name@offset+size} or {@code name@offset}. */
    private static String entry(String line) {
        Matcher datasec = DATASEC_ENTRY.matcher(line);
        if (datasec.matches()) {
            return datasec.group(3) + "@" + datasec.group(1) + "+" + datasec.group(2);
        }
        Matcher member = MEMBER.matcher(line);
        assertThat(member.matches()).as("a member in bpftool's dump: %s", line).isTrue();
        return member.group(1) + "@" + Long.parseLong(member.group(2)) / 8;
    }

    /** bpftool's plain dump of the BTF in {@code file}, its own reading of it: each type id's lines. */
    private static Map<Integer, List<String>> bpftoolTypes(Path file) throws IOException, InterruptedException {
        Process bpftool = new ProcessBuilder("bpftool", "btf", "dump", "file", file.toString()).redirectErrorStream(true).start();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bpftool.waitFor()).as("bpftool btf dump file %s: %s", file, out).isZero();
        Map<Integer, List<String>> types = new HashMap<>();
        List<String> current = null;
        for (String line : out.lines().toList()) {
            Matcher id = Pattern.compile("\\[(\\d+)] .*").matcher(line);
            if (id.matches()) {
                current = new ArrayList<>();
                types.put(Integer.parseInt(id.group(1)), current);
            }
            current.add(line);
        }
        return types;
    }
}

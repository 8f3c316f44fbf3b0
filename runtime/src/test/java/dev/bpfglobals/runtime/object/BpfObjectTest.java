package dev.bpfglobals.runtime.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.MapType;
import dev.bpfglobals.runtime.contract.GlobalsContract;
import dev.bpfglobals.runtime.contract.LayoutDifference;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import dev.bpfglobals.runtime.testing.BpfObjects;
import org.junit.jupiter.api.Test;

/** Opening real clang output, checking it against contracts, and surviving broken files. */
class BpfObjectTest {

    private static final SectionContract PERCPU = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 34, 1, 8, List.of(
            new VariableContract("a", "__u8", 0, 1, 1),
            new VariableContract("b", "__u64", 8, 8, 8),
            new VariableContract("c", "__u16", 16, 2, 2),
            new VariableContract("d", "struct pair", 20, 8, 4),
            new VariableContract("name", "__s8[5]", 28, 5, 1),
            new VariableContract("e", "__u8", 33, 1, 1)));

    private static byte[] globalsObject() throws Exception {
        return Files.readAllBytes(BpfObjects.compile("globals"));
    }

    @Test
    void percpuSectionHasClangsOffsetsSizeAndInitialImage() throws Exception {
        BpfObject object = BpfObject.open(globalsObject());
        GlobalSection percpu = object.globalSection(".percpu").orElseThrow();

        assertThat(percpu.size()).isEqualTo(34);
        assertThat(percpu.mapType()).isEqualTo(MapType.PERCPU_ARRAY);
        assertThat(percpu.variables()).extracting(VariableContract::name).containsExactly("a", "b", "c", "d", "name", "e");
        assertThat(percpu.variables()).extracting(VariableContract::offset).containsExactly(0, 8, 16, 20, 28, 33);
        ByteBuffer image = ByteBuffer.wrap(percpu.initialImage()).order(ByteOrder.nativeOrder());
        assertThat(image.getShort(16)).isEqualTo((short) 7);
        assertThat(new String(percpu.initialImage(), 28, 4)).isEqualTo("abcd");
    }

    @Test
    void dataBssAndRodataAreGlobalSectionsToo() throws Exception {
        BpfObject object = BpfObject.open(globalsObject());

        assertThat(object.globalSection(".data").orElseThrow().variables()).extracting(VariableContract::name).contains("limit");
        assertThat(object.globalSection(".bss").orElseThrow().variables()).extracting(VariableContract::name).contains("seen");
        assertThat(object.globalSection(".rodata").orElseThrow().variables()).extracting(VariableContract::name).contains("mode");
        assertThat(object.globalSection(".bss").orElseThrow().mapType()).isEqualTo(MapType.ARRAY);
    }

    @Test
    void matchingContractHasNoDifferences() throws Exception {
        assertThat(BpfObject.open(globalsObject()).checkAgainst(new GlobalsContract("t.R", List.of(PERCPU)))).isEmpty();
    }

    @Test
    void driftedContractIsReportedVariableByVariable() throws Exception {
        SectionContract drifted = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 40, 1, 8, List.of(
                new VariableContract("a", "__u8", 0, 1, 1),
                new VariableContract("b", "__u64", 8, 8, 8),
                new VariableContract("c", "__u32", 16, 4, 4),
                new VariableContract("extra", "__u64", 32, 8, 8)));

        List<LayoutDifference> differences = BpfObject.open(globalsObject())
                .checkAgainst(new GlobalsContract("t.R", List.of(drifted, new SectionContract(".data.other",
                        MapType.ARRAY, 4, 4, 1, 4, List.of(new VariableContract("z", "__u32", 0, 4, 4))))));

        assertThat(differences).extracting(LayoutDifference::describe).contains(
                "section: .percpu value size expected 40 bytes, found 34 bytes",
                "variable 'c': size expected 4 bytes, found 2 bytes",
                "variable 'extra': presence expected at offset 32, found missing",
                "variable 'd': presence expected absent, found at offset 20",
                "section: section .data.other expected present, found missing");
    }

    @Test
    void objectForAnotherMachineIsRefusedNamingIt() throws Exception {
        byte[] bytes = globalsObject();
        bytes[18] = 62; // EM_X86_64
        bytes[19] = 0;

        assertThatThrownBy(() -> BpfObject.open(bytes)).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("e_machine 62 is not EM_BPF");
    }

    @Test
    void truncatedObjectIsAFormatError() throws Exception {
        byte[] bytes = globalsObject();

        assertThatThrownBy(() -> BpfObject.open(Arrays.copyOf(bytes, 30))).isInstanceOf(BpfFormatException.class);
        assertThatThrownBy(() -> BpfObject.open(Arrays.copyOf(bytes, bytes.length / 2))).isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("outside");
    }

    @Test
    void threeHundredMutatedObjectsEndInAnObjectOrTheFormatError() throws Exception {
        byte[] good = globalsObject();
        long seed = Long.getLong("bpfglobals.fuzz.seed", 20261125L);
        int iterations = Integer.getInteger("bpfglobals.fuzz.iterations", 300);
        Random random = new Random(seed);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < iterations; i++) {
                byte[] bad = mutate(good, random);
                try {
                    BpfObject.open(bad);
                } catch (BpfFormatException expected) {
                    // the one exception a bad object may end in
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("mutation " + i + " of seed " + seed + " escaped as " + e, e);
                }
            }
        });
    }

    private static byte[] mutate(byte[] good, Random random) {
        byte[] bad = good.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(good, random.nextInt(good.length));
            }
            case 1 -> {
                // the ELF header and section header table: offsets, counts, sizes
                int headerTable = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
                for (int f = 0; f < 1 + random.nextInt(3); f++) {
                    int at = random.nextBoolean() ? random.nextInt(64) : headerTable + random.nextInt(good.length - headerTable);
                    bad[at] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int at = random.nextInt(good.length - 8);
                ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(at, random.nextBoolean() ? -1L : random.nextLong());
            }
            default -> {
                for (int f = 0; f < 1 + random.nextInt(16); f++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return bad;
    }
}

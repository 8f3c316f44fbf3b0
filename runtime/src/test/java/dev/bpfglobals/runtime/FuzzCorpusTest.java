package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.BtfBuilder;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.HostileBtf;
import dev.bpfglobals.runtime.testing.ObjectFuzzer;
import dev.bpfglobals.runtime.testing.ObjectMutations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed corpus the readers' {@code @FuzzTest}s replay (docs/fuzzing.md): the hostile inputs made
 * by hand ({@link HostileBtf}, {@code fuzz-regressions/}), built test objects and a few structure-aware
 * mutants of them. The test checks that every hostile seed made in code is committed, byte for byte;
 * {@code -Dbpfglobals.fuzz.writeSeeds=true} (what {@code bin/fuzz --seed} runs) writes them all first,
 * the clang-built objects too.
 */
class FuzzCorpusTest {

    private static final Path RESOURCES = Path.of("src/test/resources/dev/bpfglobals/runtime");
    static final Path ELF = RESOURCES.resolve("elf/ElfFileFuzzTestInputs/read");
    static final Path BTF = RESOURCES.resolve("btf/BtfReaderFuzzTestInputs/read");
    static final Path BTF_EXT = RESOURCES.resolve("btf/BtfExtReaderFuzzTestInputs/read");
    static final Path OBJECT = RESOURCES.resolve("ObjectSpecFuzzTestInputs/open");
    private static final Path REGRESSIONS = Path.of("src/test/resources/fuzz-regressions");
    private static final List<String> OBJECTS = List.of("globals", "calls", "core", "all_maps", "kconfig", "map_in_map",
            "statics", "percpu_initial");
    private static final byte[] EMPTY_BTF = BtfWriter.write(new BtfBuilder().build());

    @Test
    void everyHostileSeedIsInTheCommittedCorpus() throws Exception {
        if (Boolean.getBoolean("bpfglobals.fuzz.writeSeeds")) {
            writeBuiltSeeds();
            write(hostileSeeds());
        }
        for (Map.Entry<Path, byte[]> seed : hostileSeeds().entrySet()) {
            assertThat(seed.getKey()).as("committed seed").exists();
            assertThat(Files.readAllBytes(seed.getKey())).as(seed.getKey().toString()).isEqualTo(seed.getValue());
        }
    }

    /** Seeds made in code from nothing but the generators: no compiler involved, so they never change. */
    private static Map<Path, byte[]> hostileSeeds() throws IOException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        Map<String, byte[]> btf = new LinkedHashMap<>();
        btf.put("nested-arrays-40-listed-40-times", HostileBtf.nestedArrays(40, 40));
        btf.put("nested-arrays-1-listed-2000-times", HostileBtf.nestedArrays(1, 2000));
        btf.put("nested-consts-40-listed-40-times", HostileBtf.nestedConsts(40, 40));
        btf.put("kconfig-array-of-1-gibibyte", HostileBtf.kconfigArray(1 << 30));
        btf.put("empty", EMPTY_BTF);
        for (Map.Entry<String, byte[]> blob : btf.entrySet()) {
            out.put(BTF.resolve(blob.getKey()), blob.getValue());
        }
        // A DATASEC whose count claims 65535 entries, cut off after the header: the count is never believed.
        byte[] claimed = HostileBtf.nestedArrays(1, 1);
        ByteBuffer words = ByteBuffer.wrap(claimed).order(ByteOrder.LITTLE_ENDIAN);
        int datasec = 24 + 16 + 24 + 12; // header, int, array, var
        words.putInt(datasec + 4, words.getInt(datasec + 4) | 0xffff);
        out.put(BTF.resolve("datasec-claiming-65535-entries"), claimed);
        for (Path regression : regressions("btf")) {
            out.put(BTF.resolve("regression-" + name(regression)), Files.readAllBytes(regression));
        }
        for (Path regression : regressions("btf-ext")) {
            out.put(BTF_EXT.resolve("regression-" + name(regression)), frame(EMPTY_BTF, Files.readAllBytes(regression)));
        }
        for (Path regression : regressions("object")) {
            out.put(ELF.resolve("regression-" + name(regression)), Files.readAllBytes(regression));
            out.put(OBJECT.resolve("regression-" + name(regression)), Files.readAllBytes(regression));
        }
        return out;
    }

    /** Objects clang builds from src/test/bpf, hostile BTF put into one, and one mutant of each kind. */
    private static void writeBuiltSeeds() throws Exception {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        for (String name : OBJECTS) {
            Path object = BpfObjects.compile(name);
            byte[] bytes = Files.readAllBytes(object);
            out.put(ELF.resolve(name), bytes);
            out.put(OBJECT.resolve(name), bytes);
            out.put(BTF.resolve(name), BpfObjects.section(object, ".BTF"));
            if (!name.equals("globals") && !name.equals("statics")) {
                out.put(BTF_EXT.resolve(name), frame(BpfObjects.section(object, ".BTF"), BpfObjects.section(object, ".BTF.ext")));
            }
        }
        for (String name : List.of("globals", "calls")) {
            byte[] bytes = Files.readAllBytes(BpfObjects.compileBigEndian(name));
            out.put(ELF.resolve(name + "-bpfeb"), bytes);
            out.put(OBJECT.resolve(name + "-bpfeb"), bytes);
        }
        out.put(OBJECT.resolve("globals-without-btf"), Files.readAllBytes(BpfObjects.compileWithoutDebugInfo("globals")));
        byte[] globals = Files.readAllBytes(BpfObjects.compile("globals"));
        out.put(OBJECT.resolve("globals-with-nested-arrays"), HostileBtf.withBtf(globals, HostileBtf.nestedArrays(40, 40)));
        out.put(OBJECT.resolve("globals-with-nested-consts"), HostileBtf.withBtf(globals, HostileBtf.nestedConsts(40, 40)));
        out.put(OBJECT.resolve("globals-with-2000-datasec-entries"), HostileBtf.withBtf(globals, HostileBtf.nestedArrays(1, 2000)));
        byte[] kconfig = Files.readAllBytes(BpfObjects.compile("kconfig"));
        out.put(OBJECT.resolve("kconfig-with-1-gibibyte-array"), HostileBtf.withBtf(kconfig, HostileBtf.kconfigArray(1 << 30)));
        ObjectFuzzer fuzzer = new ObjectFuzzer(ObjectFuzzer.DEFAULT_SEED, 1, Path.of("target/fuzz-crashers"));
        ObjectMutations mutations = new ObjectMutations();
        Random random = new Random(fuzzer.seed());
        Map<String, byte[]> byMutation = new LinkedHashMap<>();
        for (int i = 0; i < 2000 && byMutation.size() < ObjectMutations.NAMES.size(); i++) {
            ObjectFuzzer.Mutator.Result mutant = mutations.mutate(globals, random);
            byMutation.putIfAbsent(mutant.mutation(), mutant.bytes());
        }
        byMutation.forEach((mutation, bytes) -> out.put(OBJECT.resolve("globals-mutant-" + mutation), bytes));
        write(out);
    }

    private static void write(Map<Path, byte[]> seeds) throws IOException {
        for (Map.Entry<Path, byte[]> seed : seeds.entrySet()) {
            Files.createDirectories(seed.getKey().getParent());
            Files.write(seed.getKey(), seed.getValue());
        }
    }

    /** An input of {@code BtfExtReaderFuzzTest}: the BTF's length (4 bytes, little-endian), the BTF, the .BTF.ext. */
    private static byte[] frame(byte[] btf, byte[] ext) {
        return ByteBuffer.allocate(4 + btf.length + ext.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(btf.length).put(btf).put(ext).array();
    }

    private static List<Path> regressions(String reader) throws IOException {
        try (Stream<Path> files = Files.list(REGRESSIONS.resolve(reader))) {
            return files.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
    }

    private static String name(Path file) {
        return file.getFileName().toString().replace(".bin", "");
    }
}

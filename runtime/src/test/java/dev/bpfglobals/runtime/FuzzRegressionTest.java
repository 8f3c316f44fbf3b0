package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.BtfBuilder;
import dev.bpfglobals.runtime.btf.BtfExtReader;
import dev.bpfglobals.runtime.btf.BtfFormatException;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.testing.ObjectFuzzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every input kept under {@code src/test/resources/fuzz-regressions/}: crashers the fuzzer
 * found (promoted from {@code target/fuzz-crashers} once fixed) and hostile shapes made by hand.
 * Each {@code NAME.bin} must end in its reader's one format exception, within a second, with a
 * message containing the text of {@code NAME.expect}.
 */
class FuzzRegressionTest {

    private static final Path CORPUS = Path.of("src/test/resources/fuzz-regressions");
    private static final byte[] EMPTY_BTF = BtfWriter.write(new BtfBuilder().build());

    @TestFactory
    Stream<DynamicTest> objects() throws IOException {
        return replay("object", bytes -> ObjectSpec.open(bytes), BpfFormatException.class);
    }

    @TestFactory
    Stream<DynamicTest> btf() throws IOException {
        return replay("btf", BtfReader::read, BtfFormatException.class);
    }

    @TestFactory
    Stream<DynamicTest> btfExt() throws IOException {
        return replay("btf-ext", bytes -> BtfExtReader.read(bytes, EMPTY_BTF), BtfFormatException.class);
    }

    private static Stream<DynamicTest> replay(String reader, Consumer<byte[]> read, Class<? extends Throwable> refusal)
            throws IOException {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(CORPUS.resolve(reader))) {
            inputs = files.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
        assertThat(inputs).as("the %s corpus", reader).isNotEmpty();
        return inputs.stream().map(input -> DynamicTest.dynamicTest(reader + "/" + input.getFileName(), () -> {
            byte[] bytes = Files.readAllBytes(input);
            String expected = Files.readString(Path.of(input.toString().replace(".bin", ".expect")), StandardCharsets.UTF_8).strip();
            Throwable thrown = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                try {
                    read.accept(bytes);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(thrown).as("%s is refused", input).isNotNull();
            assertThat(ObjectFuzzer.isFormatError(thrown, refusal)).as("%s ends in %s, not %s", input, refusal.getSimpleName(), thrown)
                    .isTrue();
            assertThat(thrown.getMessage()).contains(expected);
        }));
    }
}

package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering, read off the imports: validation turns elements into the model,
 * generators read only the model, and the layout engine knows nothing of javac.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/bpfglobals/processor");

    private static List<String> imports(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            return files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream().filter(l -> l.startsWith("import "))
                            .map(l -> file.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void generatorsDependOnTheModelNotOnValidation() throws IOException {
        assertThat(imports("generate")).noneMatch(l -> l.contains("dev.bpfglobals.processor.validation"));
    }

    @Test
    void theModelDependsOnNeitherValidationNorGenerators() throws IOException {
        assertThat(imports("model")).noneMatch(l -> l.contains("processor.validation") || l.contains("processor.generate"));
    }

    @Test
    void theLayoutEngineIsFreeOfJavacAndOfTheOtherPackages() throws IOException {
        assertThat(imports("layout")).allMatch(l -> l.contains("import java.util."));
    }
}

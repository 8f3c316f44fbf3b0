package dev.bpfglobals.examples;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfFeatures;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Runs an example's compat or native build the way the kernel under test allows. */
public final class Builds {

    /** Where the examples build writes its objects, relative to the module (the tests' working directory). */
    public static final Path DIRECTORY = Path.of("target/bpf");

    private Builds() {
    }

    /**
     * Runs {@code run} on the {@code mode} build of example {@code name} and returns its result. A
     * native build on a kernel without native {@code .percpu} access must instead be refused naming
     * the program and the compat switch; then this checks that and returns empty.
     */
    public static <T> Optional<T> run(PercpuMode mode, String name, ObjectRun<T> run) throws Exception {
        Path object = mode.object(DIRECTORY, name);
        if (mode == PercpuMode.NATIVE && !BpfFeatures.probe().nativePercpuGlobals()) {
            assertThatThrownBy(() -> run.call(object))
                    .hasMessageContaining("accesses the .percpu variable")
                    .hasMessageContaining("-DBPF_GLOBALS_COMPAT");
            return Optional.empty();
        }
        return Optional.of(run.call(object));
    }

    /** What a test does with one build's object file. */
    @FunctionalInterface
    public interface ObjectRun<T> {
        T call(Path object) throws Exception;
    }
}

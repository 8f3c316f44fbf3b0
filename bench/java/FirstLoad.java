import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import java.nio.file.Path;

/**
 * A library user's smallest program, for bench/startup: opens, loads and closes one BPF object
 * (the CO-RE object of CoreLoadBenchmark), as bench/c/libbpf_load.c does with libbpf. Timed as a
 * whole process, with and without an AOT cache trained on itself (docs/benchmarks.md#cold-start).
 */
public final class FirstLoad {

    private FirstLoad() {
    }

    public static void main(String[] args) throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(Path.of(args[0])))) {
            System.out.println("loaded " + args[0]);
        }
    }
}

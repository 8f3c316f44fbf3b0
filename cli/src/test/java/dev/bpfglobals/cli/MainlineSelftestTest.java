package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run, with the tool alone, as bpftool would be used if it could load such an
 * object: the runtime's equivalent of mainline's test_global_percpu_data.c is loaded with its initial
 * image edited, run on every online CPU, and each CPU's copy dumped with the values mainline asserts.
 * The native build runs where the kernel has native .percpu access (7.3), the compat build elsewhere.
 */
@RequiresBpf
class MainlineSelftestTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Path pins = BpfPins.path("cli-mainline");

    @AfterEach
    void removePins() throws IOException {
        if (Files.exists(pins)) {
            try (Stream<Path> all = Files.walk(pins)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void loadRunOnEveryCpuAndDumpGiveWhatMainlineAssertsPerCpu() throws Exception {
        boolean nativeAccess = BpfFeatures.probe().nativePercpuGlobals();
        Path object = nativeAccess ? BpfObjects.compileRuntimeVariant("global_percpu_data", "native")
                : BpfObjects.compileRuntimeVariant("global_percpu_data", "compat", "-DCOMPAT");

        assertThat(run("load", object.toString(), "--pin", pins.toString(),
                "--set", ".percpu.value=2", "--set", ".percpu.extra_counters.stamp=100")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("set .percpu.value = 2 (__s32, was -1)");
        List<Integer> online = PossibleCpus.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).ids();
        for (int cpu : online) {
            assertThat(run("run", pins.resolve("progs/update_percpu").toString(), "--cpu", Integer.toString(cpu)))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).contains("on CPU " + cpu + ": 1 run, return value 0");
        }

        assertThat(run("dump", "--pinned", pins.resolve("maps/_percpu").toString(), "--json")).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo(online.stream().map(cpu -> "{\"cpu\": " + cpu + ", \"variables\": "
                + "{\"cpu_seen\": [" + cpu + "], \"value\": 1, \"flag\": true, \"label\": [114, 97, 110, 0, 0, 0], "
                + "\"counts\": [0, 0, 0, 0, 0, 0, 49374], \"record\": {\"set\": 1, \"i\": 1, \"nums\": [0, 0, 0, 0, 0, 0, 49374]}}}")
                .collect(Collectors.joining(", ", "{\"map\": \".percpu\", \"cpus\": [", "]}")));

        assertThat(run("dump", "--pinned", pins.resolve("maps/_percpu_extra_counters").toString(), "--json"))
                .as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo(online.stream()
                .map(cpu -> "{\"cpu\": " + cpu + ", \"variables\": {\"stamp\": 102, \"extra_runs\": 1}}")
                .collect(Collectors.joining(", ", "{\"map\": \".percpu.extra_c\", \"cpus\": [", "]}")));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }
}

package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.testing.Bpftool;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import dev.bpfglobals.skeleton.testing.SameValues;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Skeletons of the project's own example objects (examples/target/bpf, built by the examples module
 * from C that includes its records' generated headers): C-first and Java-first side by side, the
 * skeleton reading the same values the record's generated accessor reads, and bpftool too.
 */
class ExampleSkeletonTest {

    private static final List<String> OBJECTS = List.of("xdp_stats", "packet_limits", "syscall_top", "jvm_probes");

    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        skeletons = GeneratedSkeletons.build("examples", OBJECTS.stream()
                .map(name -> Path.of("../examples/target/bpf", name + ".bpf.o")).toArray(Path[]::new));
    }

    @Test
    void everyExampleObjectGetsACompilingSkeleton() throws Exception {
        for (String name : List.of("XdpStats", "PacketLimits", "SyscallTop", "JvmProbes")) {
            assertThat(skeletons.type("examples." + name).getMethod("open")).isNotNull();
        }
    }

    @Test
    @RequiresBpf
    void theXdpStatsSkeletonReadsWhatItsJavaRecordAndBpftoolRead() throws Exception {
        Map<String, Object> read = skeletons.run("examples.XdpStatsDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            PossibleCpus cpus = PossibleCpus.system();
            for (int slot = 0; slot < cpus.count(); slot++) {
                int cpu = cpus.cpuAt(slot);
                assertThat(read.get("packets/" + cpu)).as("packets on CPU %d", cpu).isEqualTo(3L + slot);
                assertThat(components(read.get("skeleton/" + cpu))).as("CPU %d", cpu).isEqualTo(components(read.get("record/" + cpu)));
            }
            assertThat(components(read.get("skeleton/sum"))).isEqualTo(components(read.get("record/sum")));
            for (Map<String, Object> entry : Bpftool.dump((Integer) read.get("id/.percpu"))) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> values = (List<Map<String, Object>>) ((Map<String, Object>) entry.get("formatted")).get("values");
                for (Map<String, Object> value : values) {
                    Map<String, Object> variables = new LinkedHashMap<>();
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> section = (List<Map<String, Object>>) ((Map<String, Object>) value.get("value")).get(".percpu");
                    section.forEach(variables::putAll);
                    SameValues.assertSame("cpu " + value.get("cpu"), read.get("skeleton/" + value.get("cpu")), variables);
                }
            }
        }
    }

    /** A record's components by name, arrays as lists: skeleton and Java-first records are different classes. */
    private static Map<String, Object> components(Object record) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            component.getAccessor().setAccessible(true);
            Object value = component.getAccessor().invoke(record);
            out.put(component.getName(), value instanceof long[] longs ? java.util.Arrays.stream(longs).boxed().toList() : value);
        }
        return out;
    }
}

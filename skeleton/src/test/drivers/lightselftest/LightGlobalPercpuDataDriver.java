package lightselftest;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.attach.Link;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * test_global_percpu_data, its skeleton generated with --light, as prog_tests/global_percpu_data.c drives it: attach the raw_tp/task_rename
 * program, rename this thread (which fires it on the CPU it runs on), and read every CPU's .percpu.
 * Every program loads, its CO-RE iterator included.
 */
public final class LightGlobalPercpuDataDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        ObjectSpec object;
        try (InputStream in = TestGlobalPercpuData.class.getResourceAsStream("TestGlobalPercpuData.bpf.o")) {
            object = ObjectSpec.open(in.readAllBytes());
        }
        TestGlobalPercpuData skeleton = TestGlobalPercpuData.open(object).load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (Link link = skeleton.programs().attachUpdatePercpuData()) {
            Files.writeString(Path.of("/proc/thread-self/comm"), "skel-percpu");
        }
        PerCpuSnapshot<TestGlobalPercpuData.PercpuSection> all = skeleton.percpu().readAll();
        PossibleCpus cpus = PossibleCpus.system();
        int ran = -1;
        for (int slot = 0; slot < cpus.count(); slot++) {
            int cpu = cpus.cpuAt(slot);
            read.put("percpu/" + cpu, all.get(cpu));
            if (TestGlobalPercpuData.PercpuView.data(all, cpu) == 1) {
                ran = cpu;
            }
        }
        read.put("cpu", ran);
        try (BpfMap owner = skeleton.loaded().map(".percpu")) {
            read.put("id/.percpu", owner.info().id());
        }
        return read;
    }
}

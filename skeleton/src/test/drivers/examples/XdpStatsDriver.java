package examples;

import dev.bpfglobals.examples.xdp.XdpStatsGlobals;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The xdp-stats example read both ways on one loaded object: through the skeleton generated from its
 * object (C-first) and through the accessor its Java record generated (Java-first).
 */
public final class XdpStatsDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        XdpStats skeleton = XdpStats.open().load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        PossibleCpus cpus = PossibleCpus.system();
        try (BpfProgram program = skeleton.programs().countPackets()) {
            for (int slot = 0; slot < cpus.count(); slot++) {
                program.testRun(new byte[64 + 200 * slot], 3 + slot, cpus.cpuAt(slot));
            }
        }
        PerCpuSnapshot<XdpStats.PercpuSection> cFirst = skeleton.percpu().readAll();
        try (PerCpuGlobals<XdpStatsGlobals.PerCpuPart> javaFirst = XdpStatsGlobals.bind(skeleton.loaded().percpuMap().orElseThrow())) {
            PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> snapshot = javaFirst.readAll();
            for (int slot = 0; slot < cpus.count(); slot++) {
                int cpu = cpus.cpuAt(slot);
                read.put("skeleton/" + cpu, cFirst.get(cpu));
                read.put("record/" + cpu, snapshot.get(cpu));
                read.put("packets/" + cpu, XdpStats.PercpuView.packets(cFirst, cpu));
            }
            read.put("skeleton/sum", skeleton.percpu().sum());
            read.put("record/sum", javaFirst.sum());
        }
        try (BpfMap owner = skeleton.loaded().map(".percpu")) {
            read.put("id/.percpu", owner.info().id());
        }
        return read;
    }
}

package com.example.flows;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;

/**
 * Loads {@code flow_stats}' object from the class path, runs its XDP program through
 * {@code BPF_PROG_TEST_RUN} on every possible CPU (10 packets of 64 bytes on the first, 20 on the
 * second, ...), and prints what each CPU counted. Needs root (CAP_BPF).
 */
public final class FlowCounter {

    static final int RUNS_PER_SLOT = 10;
    static final int PACKET_SIZE = 64;

    private FlowCounter() {
    }

    public static void main(String[] args) throws Exception {
        // Kernels with native .percpu access run the native build; all others the compat one.
        boolean nativeAccess = BpfFeatures.probe().nativePercpuGlobals();
        String resource = nativeAccess ? "bpf/flow_stats.native.bpf.o" : "bpf/flow_stats.bpf.o";
        ObjectSpec object = ObjectSpec.openResource(resource);
        ContractReport drift = object.checkAgainst(FlowStatsGlobals.CONTRACT);
        if (!drift.matches()) {
            throw new IllegalStateException(drift.describeStaleObject(resource));
        }
        System.out.println("loaded " + resource + " from the class path (" + (nativeAccess ? "native" : "compat") + " mode)");
        try (LoadedObject loaded = LoadedObject.load(object);
             PerCpuGlobals<FlowStatsGlobals.PerCpuPart> globals = FlowStatsGlobals.bind(loaded.percpuMap().orElseThrow());
             BpfProgram program = loaded.program("count_packets")) {
            PossibleCpus cpus = PossibleCpus.system();
            for (int slot = 0; slot < cpus.count(); slot++) {
                program.testRun(new byte[PACKET_SIZE], RUNS_PER_SLOT * (slot + 1), cpus.cpuAt(slot));
            }
            PerCpuSnapshot<FlowStatsGlobals.PerCpuPart> snapshot = globals.newSnapshot();
            globals.readAll(snapshot);
            for (int cpu : snapshot.cpus().ids()) {
                System.out.println("cpu " + cpu + ": packets " + Long.toUnsignedString(FlowStatsGlobals.packets(snapshot, cpu))
                        + ", bytes " + Long.toUnsignedString(FlowStatsGlobals.bytes(snapshot, cpu)));
            }
            FlowStatsGlobals.PerCpuPart total = snapshot.sum();
            System.out.println("total: packets " + Long.toUnsignedString(total.packets()) + ", bytes "
                    + Long.toUnsignedString(total.bytes()));
        }
    }
}

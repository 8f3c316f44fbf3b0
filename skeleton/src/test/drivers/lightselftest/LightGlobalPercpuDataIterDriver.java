package lightselftest;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.attach.IterAttach;
import dev.bpfglobals.runtime.attach.Link;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * test_global_percpu_data's iterator subtest (prog_tests/global_data_init.c), its skeleton
 * generated with --light: struct_data.nums[6] = 0xc0de is set in the .percpu image before load, so
 * the light loader's one fill gives every CPU's copy that value; the iterator over the .percpu map
 * (its CO-RE read of ctx->value relocated by the kernel, its attach id found by the loader) then
 * adds nums[6] of every CPU's copy into sum.
 */
public final class LightGlobalPercpuDataIterDriver implements Callable<Map<String, Object>> {

    /** offsetof(struct_data.nums[6]) within struct_data: char set, int i, int nums[7]. */
    private static final int NUMS_6 = 8 + 6 * 4;

    @Override
    public Map<String, Object> call() throws Exception {
        int cpus = PossibleCpus.system().count();
        TestGlobalPercpuData.Spec spec = TestGlobalPercpuData.open();
        var section = spec.object().globalSection(".percpu").orElseThrow();
        spec.rodata().numCpus(cpus).numOff(section.variable("struct_data").orElseThrow().offset() + NUMS_6)
                .elemSz((section.size() + 7) & ~7);
        TestGlobalPercpuData.StructData initial = spec.percpu().structData();
        int[] nums = initial.nums().clone();
        nums[6] = 0xc0de;
        spec.percpu().structData(new TestGlobalPercpuData.StructData(initial.set(), initial.i(), nums));
        TestGlobalPercpuData skeleton = spec.load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (BpfProgram program = skeleton.programs().dumpPercpuData(); BpfMap percpu = skeleton.loaded().map(".percpu");
             Link iterator = IterAttach.attachMap(program.fd(), percpu.fd(), "dump_percpu_data")) {
            read.put("output", IterAttach.readText(iterator));
        }
        read.put("cpus", cpus);
        read.put("runIter", skeleton.bss().read().runIter());
        read.put("sum", skeleton.bss().sum2());
        return read;
    }
}

package selftest;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.attach.Link;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * test_skeleton as prog_tests/skeleton.c drives it: set .data, .bss and .rodata before load, attach
 * the raw_tp/sys_enter handler, make a syscall, and read what the handler copied.
 */
public final class SkeletonDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        TestSkeleton.Spec spec = TestSkeleton.open();
        spec.data().in1(1).in2(2);
        spec.bss().in3((byte) 3).in4(4L).in5(new TestSkeleton.S(5, 6L));
        spec.rodata().in(new TestSkeleton.In(7));
        spec.rodataDyn().inDynarrSz(4).inDynarr(new int[] {10, 20, 30, 40});
        spec.dataReadMostly().readMostlyVar(123);
        TestSkeleton skeleton = spec.load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (Link link = skeleton.programs().attachHandler()) {
            Files.readString(Path.of("/proc/self/comm")); // a few syscalls: raw_tp/sys_enter fires
        }
        read.put(".data", skeleton.data().read());
        read.put(".bss", skeleton.bss().read());
        read.put(".rodata", skeleton.rodata().read());
        read.put(".data.dyn", skeleton.dataDyn().read());
        read.put(".data.read_mostly", skeleton.dataReadMostly().read());
        read.put(".data.non_mmapable", skeleton.dataNonMmapable().read());
        read.put("out5", skeleton.bss().out5());
        for (String map : new String[] {".data", ".bss", ".rodata", ".data.dyn", ".data.read_mostly", ".data.non_mmapable", "my_map"}) {
            try (BpfMap owner = skeleton.loaded().map(map)) {
                read.put("id/" + map, owner.info().id());
            }
        }
        return read;
    }
}

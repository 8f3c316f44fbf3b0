package selftest;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** test_global_data as an application uses its skeleton: load, run the tc program once, read every map and section. */
public final class GlobalDataDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        TestGlobalData skeleton = TestGlobalData.open().load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (BpfProgram program = skeleton.programs().loadStaticData()) {
            program.testRun(new byte[64], 1, 0);
        }
        TestGlobalData.Maps maps = skeleton.maps();
        for (int key = 0; key <= 10; key++) {
            read.put("result_number/" + key, maps.resultNumber().lookup(key).orElseThrow());
        }
        for (int key = 0; key <= 4; key++) {
            read.put("result_string/" + key, maps.resultString().lookup(key).orElseThrow());
        }
        for (int key = 0; key <= 4; key++) {
            TestGlobalData.Foo foo = maps.resultStruct().lookup(key).orElseThrow();
            read.put("result_struct/" + key, foo);
        }
        read.put(".data", skeleton.data().read());
        read.put(".bss", skeleton.bss().read());
        read.put(".rodata", skeleton.rodata().read());
        read.put("num4", skeleton.data().num4());
        read.put("struct0.c", skeleton.rodata().struct0().c());
        for (String map : new String[] {"result_number", "result_string", "result_struct", ".data", ".bss", ".rodata"}) {
            try (BpfMap owner = skeleton.loaded().map(map)) {
                read.put("id/" + map, owner.info().id());
            }
        }
        return read;
    }
}

package bitfields;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** bitfields.bpf.c through its skeleton: run the XDP program once, read its bitfields, write one struct from Java. */
public final class BitfieldsDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        Bitfields skeleton = Bitfields.open().load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (BpfProgram program = skeleton.programs().writeBitfields()) {
            program.testRun(new byte[64], 1, 0);
        }
        Bitfields.Flags flags = skeleton.bss().lastFlags();
        read.put("last_flags", flags);
        read.put("last_mode.mode", skeleton.bss().lastMode().mode());
        skeleton.bss().javaFlags(new Bitfields.Flags(0, 5, 2047, 0xffffffffffL, true, -64L, (byte) 1));
        read.put("java_flags", skeleton.bss().javaFlags());
        try (BpfMap bss = skeleton.loaded().map(".bss")) {
            read.put("id/.bss", bss.info().id());
        }
        return read;
    }
}

package unions;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** unions.bpf.c as an application uses its skeleton: load, run the XDP program once, read the unions every way. */
public final class UnionsDriver implements Callable<Map<String, Object>> {

    @Override
    public Map<String, Object> call() throws Exception {
        Unions skeleton = Unions.open().load();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("skeleton", skeleton);
        try (BpfProgram program = skeleton.programs().writeUnions()) {
            program.testRun(new byte[64], 1, 0);
        }
        Unions.Addr addr = skeleton.bss().lastAddr();
        read.put("addr", addr);
        read.put("addr.v4", addr.v4());
        read.put("addr.v6", addr.v6());
        read.put("addr.tagged", addr.tagged());
        read.put("addr.tagged.port", addr.tagged().port());
        Unions.Event event = skeleton.data().lastEvent();
        read.put("event", event);
        read.put("event.union.count", event.anonymous().count());
        read.put("event.union.delta", event.anonymous().delta());
        read.put("event.union.flag", event.anonymous().flag());
        Unions.Event slot = skeleton.maps().events().lookup(1).orElseThrow();
        read.put("slot", slot);
        try (BpfMap bss = skeleton.loaded().map(".bss"); BpfMap data = skeleton.loaded().map(".data");
                BpfMap events = skeleton.loaded().map("events")) {
            read.put("id/.bss", bss.info().id());
            read.put("id/events", events.info().id());
            read.put("raw/.bss", bss.lookup(0));
            read.put("raw/.data", data.lookup(0));
            read.put("raw/events/1", events.lookup(1));
            // written from Java, then read as the kernel holds them
            skeleton.maps().events().update(0, new Unions.Event(9, Unions.EventAnonymous.ofDelta(-2), (short) 4));
            skeleton.bss().lastAddr(Unions.Addr.ofV4(0xa0b0c0d0));
            read.put("raw/events/0 after", events.lookup(0));
            read.put("raw/.bss after", bss.lookup(0));
            read.put("slot0 after", skeleton.maps().events().lookup(0).orElseThrow());
            read.put("addr after", skeleton.bss().lastAddr());
        }
        return read;
    }
}

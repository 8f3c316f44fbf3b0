package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.UpdateFlag;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dump --pinned} of maps with keys (HASH, PERCPU_HASH, ARRAY, PERCPU_ARRAY of dump_maps.bpf.c,
 * filled here): every entry, key and value decoded by the map's BTF, compared with the exact JSON
 * of bpftool's shape and the text made from the same values.
 */
@RequiresBpf
class DumpEntriesTest extends PinningCliTest {

    private final PossibleCpus cpus = PossibleCpus.system();

    @Override
    protected String pinName() {
        return "cli-dump-entries";
    }

    @BeforeEach
    void loadAndFill() throws Exception {
        assertThat(run("load", BpfObjects.compile("dump_maps").toString(), "--pin", pins.toString())).as(err.toString()).isZero();
        try (BpfMap flows = open("flows")) {
            flows.elements().update(flow(0x0a000002, 443, 6), stats(7, -2, "tls"), UpdateFlag.ANY);
            flows.elements().update(flow(0x0a000001, 53, 17), stats(12, 5, "dns"), UpdateFlag.ANY);
        }
        try (BpfMap hits = open("per_cpu_hits")) {
            hits.elements().update(u32(9), perCpu(8, slot -> ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                    .putLong(100L + cpus.cpuAt(slot)).array()), UpdateFlag.ANY);
        }
        try (BpfMap slots = open("slots")) {
            slots.elements().update(u32(1), stats(3, -1, "one"), UpdateFlag.ANY);
        }
        try (BpfMap levels = open("per_cpu_levels")) {
            levels.elements().update(u32(0), perCpu(2, slot -> ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                    .putShort((short) (-1 - cpus.cpuAt(slot))).array()), UpdateFlag.ANY);
        }
    }

    @Test
    void aHashDumpsEveryEntrySortedByKeyWithStructKeysAndValuesDecoded() {
        assertThat(dumpJson("flows")).isEqualTo("[{\"key\": {\"addr\": 167772161, \"port\": 53, \"proto\": 17}, "
                + "\"value\": {\"packets\": 12, \"delta\": 5, \"tag\": [100, 110, 115, 0]}}, "
                + "{\"key\": {\"addr\": 167772162, \"port\": 443, \"proto\": 6}, "
                + "\"value\": {\"packets\": 7, \"delta\": -2, \"tag\": [116, 108, 115, 0]}}]\n");
    }

    @Test
    void aPerCpuHashDumpsEachPossibleCpusValue() {
        List<String> values = new ArrayList<>();
        for (int slot = 0; slot < cpus.count(); slot++) {
            values.add("{\"cpu\": " + cpus.cpuAt(slot) + ", \"value\": " + (100 + cpus.cpuAt(slot)) + "}");
        }
        assertThat(dumpJson("per_cpu_hits")).isEqualTo("[{\"key\": 9, \"values\": [" + String.join(", ", values) + "]}]\n");
    }

    @Test
    void anArrayDumpsEveryIndexZeroedOnesIncluded() {
        assertThat(dumpJson("slots")).isEqualTo("[{\"key\": 0, \"value\": {\"packets\": 0, \"delta\": 0, \"tag\": [0, 0, 0, 0]}}, "
                + "{\"key\": 1, \"value\": {\"packets\": 3, \"delta\": -1, \"tag\": [111, 110, 101, 0]}}]\n");
    }

    @Test
    void aPerCpuArrayDumpsSignedValuesPerCpu() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int slot = 0; slot < cpus.count(); slot++) {
            first.add("{\"cpu\": " + cpus.cpuAt(slot) + ", \"value\": " + (-1 - cpus.cpuAt(slot)) + "}");
            second.add("{\"cpu\": " + cpus.cpuAt(slot) + ", \"value\": 0}");
        }
        assertThat(dumpJson("per_cpu_levels")).isEqualTo("[{\"key\": 0, \"values\": [" + String.join(", ", first) + "]}, "
                + "{\"key\": 1, \"values\": [" + String.join(", ", second) + "]}]\n");
    }

    @Test
    void textDecodesTheSameValuesOneEntryALine() {
        assertThat(run("dump", "--pinned", pins.resolve("maps/flows").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).matches("map flows \\(HASH, id \\d+\\), 2 entries\n"
                + "  key \\{addr: 167772161, port: 53, proto: 17\\}  value \\{packets: 12, delta: 5, tag: \\[100, 110, 115, 0\\]\\}\n"
                + "  key \\{addr: 167772162, port: 443, proto: 6\\}  value \\{packets: 7, delta: -2, tag: \\[116, 108, 115, 0\\]\\}\n");
        assertThat(run("dump", "--pinned", pins.resolve("maps/per_cpu_levels").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("map per_cpu_levels (PERCPU_ARRAY, id ")
                .contains("2 entries, " + cpus.count() + " possible CPUs\n")
                .contains("  key 0  cpu" + cpus.cpuAt(0) + "=" + (-1 - cpus.cpuAt(0)));
    }

    private String dumpJson(String map) {
        assertThat(run("dump", "--pinned", pins.resolve("maps/" + map).toString(), "--json")).as(err.toString()).isZero();
        return out.toString();
    }

    private BpfMap open(String name) {
        return BpfMap.openPinned(pins.resolve("maps/" + name), MapAccess.READ_WRITE);
    }

    private byte[] perCpu(int size, IntFunction<byte[]> slotValue) {
        int stride = (size + 7) / 8 * 8;
        byte[] all = new byte[stride * cpus.count()];
        for (int slot = 0; slot < cpus.count(); slot++) {
            System.arraycopy(slotValue.apply(slot), 0, all, slot * stride, size);
        }
        return all;
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static byte[] flow(int addr, int port, int proto) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(addr).putShort((short) port).putShort((short) proto).array();
    }

    private static byte[] stats(long packets, int delta, String tag) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(packets).putInt(delta)
                .put(tag.getBytes(StandardCharsets.US_ASCII)).array();
    }
}

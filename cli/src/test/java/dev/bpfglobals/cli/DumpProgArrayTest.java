package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.UpdateFlag;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dump --pinned} of a PROG_ARRAY (prog_array.bpf.c, loaded by {@code load --pin}, two of its
 * four slots filled here with the pinned handlers): each filled slot with the id of its program, the
 * empty ones skipped, as bpftool's {@code map dump} shows them. The loader does not fill a
 * PROG_ARRAY from {@code .values} yet, so the slots are filled from Java. A QUEUE beside it is refused,
 * naming what reads it instead.
 */
@RequiresBpf
class DumpProgArrayTest extends PinningCliTest {

    private int passId;
    private int dropId;

    @Override
    protected String pinName() {
        return "cli-dump-prog-array";
    }

    @BeforeEach
    void loadAndFill() throws Exception {
        assertThat(run("load", BpfObjects.compile("prog_array").toString(), "--pin", pins.toString())).as(err.toString()).isZero();
        try (BpfMap handlers = BpfMap.openPinned(pins.resolve("maps/handlers"), MapAccess.READ_WRITE);
             BpfProgram pass = BpfProgram.openPinned(pins.resolve("progs/handle_pass"));
             BpfProgram drop = BpfProgram.openPinned(pins.resolve("progs/handle_drop"))) {
            handlers.elements().update(u32(1), u32(pass.fd().value()), UpdateFlag.ANY);
            handlers.elements().update(u32(3), u32(drop.fd().value()), UpdateFlag.ANY);
            passId = pass.info().id();
            dropId = drop.info().id();
        }
    }

    @Test
    void jsonListsTheFilledSlotsWithTheirProgramIds() {
        assertThat(run("dump", "--pinned", pins.resolve("maps/handlers").toString(), "--json")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("[{\"key\": 1, \"value\": " + passId + "}, {\"key\": 3, \"value\": " + dropId + "}]\n");
    }

    @Test
    void textListsTheFilledSlotsOneALine() {
        assertThat(run("dump", "--pinned", pins.resolve("maps/handlers").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).matches("map handlers \\(PROG_ARRAY, id \\d+\\), 2 entries\n"
                + "  key 1  value " + passId + "\n  key 3  value " + dropId + "\n");
    }

    @Test
    void aQueueIsRefusedOnOneLineSayingWhatReadsItInstead() {
        assertThat(run("dump", "--pinned", pins.resolve("maps/pending").toString(), "--json")).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).matches("bpf-globals: map 'pending' \\(id \\d+\\) is a QUEUE, whose elements have no keys to walk"
                + " or cannot be read without taking them out; dump reads maps with keys \\(hash, array, per-CPU, LRU, LPM trie,"
                + " map of maps, program array\\); peek its head with the Java API's BpfMap\\.queue\\(\\)\\.peek\\(\\)\n");
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}

package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.fixtures.FlowKey;
import dev.bpfglobals.fixtures.FlowKeyCodec;
import dev.bpfglobals.fixtures.FlowStats;
import dev.bpfglobals.fixtures.FlowStats.Verdict;
import dev.bpfglobals.fixtures.FlowStatsCodec;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Typed maps over codecs the processor generated from {@code @BpfStruct} records, against
 * flow_maps.bpf.c, which declares its maps with the structs of the records' generated headers:
 * what the program writes reads back exactly, what Java writes the program reads, and a map whose
 * BTF declares another struct is refused naming the first difference.
 */
@RequiresBpf
class TypedMapTest {

    /** The flow the program counts (see flow() in flow_maps.bpf.c). */
    private static final FlowKey COUNTED = flow(0x0a000001, 1234);
    /** The flow the program copies from, once Java has written it. */
    private static final FlowKey FROM_JAVA = flow(0x0a000009, 9999);
    /** Where the program copies it to, with one more packet. */
    private static final FlowKey COPIED = flow(0x0a00000a, 10000);
    private static final int PACKET = 64;

    private static FlowKey flow(int saddr, int sport) {
        return new FlowKey(saddr, 0x0a000002, (short) sport, (short) 443, (byte) 6, true, (short) 7);
    }

    private static LoadedObject load() throws Exception {
        return LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("flow_maps")));
    }

    @Test
    void aHashMapKeyedByARecordReadsBackWhatTheProgramWrote() throws Exception {
        int cpu = PossibleCpus.system().cpuAt(0);
        try (LoadedObject loaded = load(); BpfProgram program = loaded.program("count_flows");
                TypedMap<FlowKey, FlowStats> flows = TypedMap.of(loaded.map("flows"), FlowKeyCodec.INSTANCE, FlowStatsCodec.INSTANCE)) {
            program.testRun(new byte[PACKET], 3, cpu);

            assertThat(flows.lookup(COUNTED)).contains(
                    new FlowStats(3, 3 * PACKET, new int[] {PACKET, PACKET}, Verdict.DROP, 0));
            assertThat(flows.lookup(FROM_JAVA)).as("nobody wrote this flow yet").isEmpty();
            assertThat(flows.keys()).containsExactly(COUNTED);
        }
    }

    @Test
    void theProgramReadsWhatJavaWroteThroughTheCodec() throws Exception {
        int cpu = PossibleCpus.system().cpuAt(0);
        FlowStats written = new FlowStats(0x1_0000_0005L, 77, new int[] {-1, 12}, Verdict.PASS, 41);
        try (LoadedObject loaded = load(); BpfProgram program = loaded.program("count_flows");
                TypedMap<FlowKey, FlowStats> flows = TypedMap.of(loaded.map("flows"), FlowKeyCodec.INSTANCE, FlowStatsCodec.INSTANCE)) {
            flows.update(FROM_JAVA, written, UpdateFlag.NOEXIST);
            program.testRun(new byte[PACKET], 1, cpu);

            assertThat(flows.lookup(COPIED)).as("the program's copy of the flow Java wrote, one packet more")
                    .contains(new FlowStats(0x1_0000_0006L, 77, new int[] {-1, 12}, Verdict.PASS, 41));
            assertThat(flows.entries().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .containsOnlyKeys(COUNTED, FROM_JAVA, COPIED);
            assertThat(flows.delete(COPIED)).isTrue();
            assertThat(flows.delete(COPIED)).isFalse();
        }
    }

    @Test
    void aPerCpuHashGivesEveryCpusValueOfAKey() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        int cpu = cpus.cpuAt(cpus.count() - 1);
        try (LoadedObject loaded = load(); BpfProgram program = loaded.program("count_flows");
                PerCpuTypedMap<FlowKey, Long> packets = PerCpuTypedMap.of(loaded.map("flow_packets"), FlowKeyCodec.INSTANCE,
                        MapCodecs.U64)) {
            program.testRun(new byte[PACKET], 5, cpu);

            PerCpuValues<Long> values = packets.lookup(COUNTED).orElseThrow();
            assertThat(values.get(cpu)).isEqualTo(5L);
            assertThat(values.sum(Long::longValue)).as("no other CPU ran it").isEqualTo(5L);
            assertThat(values.values()).hasSize(cpus.count());

            packets.update(COUNTED, c -> (long) c * 10, UpdateFlag.EXIST);
            assertThat(packets.lookup(COUNTED).orElseThrow().values())
                    .isEqualTo(cpus.ids().stream().map(c -> (long) c * 10).toList());
        }
    }

    @Test
    void aMapWhoseBtfDeclaresAnotherStructIsRefusedNamingTheFirstDifference() throws Exception {
        try (LoadedObject loaded = load()) {
            assertThatThrownBy(() -> TypedMap.of(loaded.map("legacy_flows"), FlowKeyCodec.INSTANCE, FlowStatsCodec.INSTANCE))
                    .isInstanceOf(MapTypeMismatchException.class)
                    .hasMessage("map 'legacy_flows' (HASH) key (struct legacy_flow_key in its BTF) does not match "
                            + "FlowKey (struct flow_key): member 1 is 'saddr' expected, BTF has 'daddr'");
        }
    }

    @Test
    void aMapOfAnotherValueSizeIsRefusedBeforeItsBtfIsRead() throws Exception {
        try (LoadedObject loaded = load()) {
            assertThatThrownBy(() -> TypedMap.of(loaded.map("flows"), FlowKeyCodec.INSTANCE, MapCodecs.U64))
                    .isInstanceOf(MapTypeMismatchException.class)
                    .hasMessage("map 'flows' (HASH) has 32-byte values, but Long (__u64) is 8 bytes");
        }
    }

    @Test
    void aMapWithoutBtfIsCheckedBySizeAndThenWorks() {
        try (TypedMap<FlowKey, Long> map = TypedMap.of(BpfMap.create(MapType.HASH, 16, 8, 4, false, "typed_nobtf"),
                FlowKeyCodec.INSTANCE, MapCodecs.U64)) {
            map.update(COUNTED, -1L);
            assertThat(map.lookup(COUNTED)).contains(-1L);
            assertThat(map.map().info().btfKeyTypeId()).isZero();
        }
    }

    @Test
    void aPerCpuMapIsPointedToItsOwnView() {
        assertThatThrownBy(() -> TypedMap.of(BpfMap.create(MapType.PERCPU_HASH, 16, 8, 4, false, "typed_percpu"),
                FlowKeyCodec.INSTANCE, MapCodecs.U64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use PerCpuTypedMap.of");
    }
}

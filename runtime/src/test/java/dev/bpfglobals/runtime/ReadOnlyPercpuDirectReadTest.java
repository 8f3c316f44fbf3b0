package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The last point of mainline's global per-CPU data tests (its rdonly_direct_read subtest, in our own
 * code): a PERCPU_ARRAY made read-only to programs ({@code BPF_F_RDONLY_PROG}), filled, frozen, and
 * read by a program through a direct value reference. Libbpf makes no such map from a section (nor
 * does our loader), so the kernel's side of the contract is checked with a hand-made map and a
 * three-instruction program, as mainline does. Where the kernel has native per-CPU data (7.3) the
 * program reads this CPU's value; elsewhere the direct reference is refused.
 */
@RequiresBpf
class ReadOnlyPercpuDirectReadTest {

    private static final long VALUE = 0x5eed;

    @Test
    void aFrozenReadOnlyPercpuArrayIsReadDirectlyWhereTheKernelHasNativePercpuDataAndRefusedElsewhere() {
        BpfFeatures features = BpfFeatures.probe();
        try (BpfFd map = BpfMaps.create(MapType.PERCPU_ARRAY.kernelValue(), 4, 8, 1, BpfMaps.F_RDONLY_PROG, "percpu_ro", null, 0, 0);
             Arena arena = Arena.ofConfined()) {
            fillEveryCpu(map, arena, features);
            BpfMaps.freeze(map);
            assertThat(Errno.of((int) -BpfMaps.updateRaw(map, arena.allocate(4), arena.allocate(8 * 64L, 8), 0)))
                    .as("a frozen map refuses user-space writes too").isEqualTo(Errno.EPERM);

            // r1 = &value (BPF_PSEUDO_MAP_VALUE, offset 0); r0 = *(u64 *)(r1 + 0); exit
            long[] program = {
                FeatureProbes.insn(0x18, 1, 2, 0, map.value()), FeatureProbes.insn(0, 0, 0, 0, 0),
                FeatureProbes.insn(0x79, 0, 1, 0, 0),
                FeatureProbes.insn(0x95, 0, 0, 0, 0),
            };
            if (!features.nativePercpuGlobals()) {
                assertThatThrownBy(() -> Bpf.progLoad(1, program, "GPL", "percpu_ro_read"))
                        .isInstanceOf(BpfException.class)
                        .hasMessageContaining("no direct value access support for this map type");
                return;
            }
            try (BpfFd prog = Bpf.progLoad(1, program, "GPL", "percpu_ro_read")) { // BPF_PROG_TYPE_SOCKET_FILTER
                MemorySegment packet = arena.allocate(64);
                assertThat(Bpf.testRun(prog, packet, 1).returnValue()).isEqualTo((int) VALUE);
            }
        }
    }

    /** One slot with BPF_F_ALL_CPUS where the kernel has it, as mainline fills it; else a slot per possible CPU. */
    private static void fillEveryCpu(BpfFd map, Arena arena, BpfFeatures features) {
        MemorySegment key = arena.allocate(4);
        if (features.allCpusUpdate()) {
            BpfMaps.update(map, key, arena.allocateFrom(ValueLayout.JAVA_LONG, VALUE), BpfMaps.F_ALL_CPUS);
            return;
        }
        int cpus = PossibleCpus.system().count();
        MemorySegment slots = arena.allocate(8L * cpus, 8);
        for (int slot = 0; slot < cpus; slot++) {
            slots.setAtIndex(ValueLayout.JAVA_LONG, slot, VALUE);
        }
        BpfMaps.update(map, key, slots, 0);
    }
}

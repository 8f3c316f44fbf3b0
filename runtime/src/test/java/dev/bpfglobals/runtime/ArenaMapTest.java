package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * ARENA maps (Linux 6.9+) loaded from clang-19 output ({@code arena.bpf.c}): the arena mapped into
 * Java, the {@code __arena} globals at its start from their C initialisers, pages a program allocates
 * with {@code bpf_arena_alloc_pages} read and written from Java through the same memory, and freed
 * again. Where the leg states no arenas ({@code arena} absent from its features) the load is refused
 * naming the map and why: EINVAL on 6.1, which predates them; EPERM on this project's 6.18 host, which
 * withholds them even from root.
 */
@RequiresBpf
class ArenaMapTest {

    /** A socket filter's test run needs a packet of at least an Ethernet header. */
    private static final byte[] PACKET = new byte[64];

    private static long u64(MemorySegment variable) {
        return variable.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    @Test
    void aProgramsArenaPagesAndArenaGlobalsAreReadAndWrittenFromJava() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithClang19("arena", "default"));
        if (!KernelExpectations.has(Feature.ARENA)) {
            assertRefusedForLackOfArenas(object);
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object)) {
            ArenaMap arena = loaded.arena();
            assertThat(arena.name()).isEqualTo("arena");
            assertThat(arena.memory().byteSize()).as("max_entries pages").isEqualTo(4 * pageSize());
            assertThat(arena.variables()).extracting(GlobalVariable::name).containsExactlyInAnyOrder("runs", "from_java", "echo", "page");
            assertThat(u64(arena.variable("runs"))).as("the C initialiser, copied into the arena").isEqualTo(7);

            arena.variable("from_java").set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1234_5678_9abcL);
            try (BpfProgram allocate = loaded.program("allocate")) {
                assertThat(allocate.testRun(PACKET, 1, 0).returnValue()).as("allocate's result (1: no page)").isZero();
            }
            assertThat(u64(arena.variable("runs"))).as("runs after one run").isEqualTo(8);
            assertThat(u64(arena.variable("echo"))).as("what Java wrote, echoed by the program").isEqualTo(0x1234_5678_9abcL);

            long offset = arena.offsetOf(u64(arena.variable("page")));
            assertThat(offset).as("the allocated page lies past the globals' page").isGreaterThanOrEqualTo(pageSize());
            assertThat(offset % pageSize()).isZero();
            assertThat(arena.memory().get(ValueLayout.JAVA_INT, offset)).as("what the program wrote into its page")
                    .isEqualTo(0xC0FFEE);

            arena.memory().set(ValueLayout.JAVA_INT, offset + 4, 4242);
            try (BpfProgram readBack = loaded.program("read_back")) {
                assertThat(readBack.testRun(PACKET, 1, 0).returnValue()).as("what Java wrote, read by the program").isEqualTo(4242);
            }
            try (BpfProgram release = loaded.program("release")) {
                assertThat(release.testRun(PACKET, 1, 0).returnValue()).isZero();
            }
            assertThat(u64(arena.variable("page"))).as("the page pointer after bpf_arena_free_pages").isZero();
        }
    }

    @Test
    void anArenaDeclaredAtAUserAddressIsMappedThere() throws Exception {
        long address = 1L << 44;
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithClang19("arena", "at44", "-DARENA_AT=(1ull<<44)"));
        if (!KernelExpectations.has(Feature.ARENA)) {
            assertRefusedForLackOfArenas(object);
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThat(loaded.arena().userAddress()).as("map_extra, a 64-bit __ulong (an ENUM64 in BTF)").isEqualTo(address);
            try (BpfProgram allocate = loaded.program("allocate")) {
                assertThat(allocate.testRun(PACKET, 1, 0).returnValue()).isZero();
            }
            long page = u64(loaded.arena().variable("page"));
            assertThat(page >>> 32).as("the page pointer's upper half: the arena's user address").isEqualTo(address >>> 32);
            assertThat(loaded.arena().memory().get(ValueLayout.JAVA_INT, loaded.arena().offsetOf(page))).isEqualTo(0xC0FFEE);
        }
    }

    @Test
    void theArenaIsUnmappedWhenTheObjectCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithClang19("arena", "default"));
        if (!KernelExpectations.has(Feature.ARENA)) {
            assertRefusedForLackOfArenas(object);
            return;
        }
        MemorySegment memory;
        try (LoadedObject loaded = LoadedObject.load(object)) {
            memory = loaded.arena().memory();
            assertThat(memory.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(7);
        }
        assertThatThrownBy(() -> memory.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anObjectWithoutAnArenaSaysSo() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("globals")))) {
            assertThatThrownBy(loaded::arena).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("this object made no ARENA map");
        }
    }

    @Test
    void theLightLoaderRefusesAnArenaByName() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithClang19("arena", "nokfuncs", "-DWITHOUT_KFUNCS"));

        assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the light loader does not support ARENA maps (mapped into this process before their programs "
                        + "load) yet (map 'arena'); load the object with LoadedObject.load");
    }

    private static void assertRefusedForLackOfArenas(ObjectSpec object) {
        assertThatThrownBy(() -> LoadedObject.load(object).close()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("map 'arena': this kernel refused BPF_MAP_TYPE_ARENA (")
                .hasMessageMatching(".*\\((EINVAL; arena maps need Linux 6\\.9 or later|EPERM; arenas need CAP_BPF).*");
    }

    private static long pageSize() {
        return dev.bpfglobals.runtime.internal.RingSyscalls.pageSize();
    }
}

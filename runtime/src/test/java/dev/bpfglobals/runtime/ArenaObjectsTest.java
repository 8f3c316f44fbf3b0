package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import org.junit.jupiter.api.Test;

/**
 * What the reader makes of arena objects (clang-19 output), before any kernel: the ARENA map as
 * {@code .maps} declares it, and one line naming what is wrong with a bad one.
 */
class ArenaObjectsTest {

    @Test
    void theArenaMapIsReadWithItsPagesAndFlags() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithClang19("arena", "default"));

        assertThat(object.maps()).filteredOn(m -> m.name().equals("arena")).singleElement()
                .satisfies(arena -> {
                    assertThat(arena.type()).as("BPF_MAP_TYPE_ARENA").isEqualTo(33);
                    assertThat(arena.maxEntries()).as("pages").isEqualTo(4);
                    assertThat(arena.flags()).as("BPF_F_MMAPABLE").isEqualTo(1 << 10);
                });
    }

    @Test
    void anArenaWithoutMmapableIsRefusedNamingTheFlag() throws Exception {
        var object = BpfObjects.compileWithClang19("arena", "unmapped", "-DARENA_FLAGS=0");

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageEndingWith("map 'arena' is an ARENA map without BPF_F_MMAPABLE in its map_flags (0x0), which the "
                        + "kernel refuses: declare __uint(map_flags, BPF_F_MMAPABLE)");
    }

    @Test
    void aSecondArenaIsRefusedNamingBoth() throws Exception {
        var object = BpfObjects.compileWithClang19("arena", "two", "-DSECOND_ARENA");

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageEndingWith("maps [arena, second] are both ARENA maps; an object may declare one (its __arena "
                        + "globals and arena pointers live in it)");
    }

    @Test
    void arenaGlobalsWithoutAnArenaMapAreRefusedNamingTheSection() throws Exception {
        var object = BpfObjects.compileWithClang19("arena_without_map", "default");

        assertThatThrownBy(() -> ObjectSpec.open(object)).isInstanceOf(BpfFormatException.class)
                .hasMessageEndingWith("section .addr_space.1 holds __arena globals, but the object declares no ARENA map to "
                        + "hold them; declare one in SEC(\".maps\") with __uint(type, BPF_MAP_TYPE_ARENA)");
    }
}

package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;

/**
 * Points an {@code ld_imm64} of an {@code __arena} global at the object's ARENA map, as libbpf's
 * {@code RELO_DATA} against the arena does: {@code BPF_PSEUDO_MAP_VALUE} with the map's descriptor and
 * the variable's offset. The kernel turns that into the arena's user address plus the offset, which
 * the program reaches as an arena pointer; the globals sit at offset 0 ({@link ArenaMapping} copies
 * their initial bytes there).
 */
final class ArenaRelocation {

    private ArenaRelocation() {
    }

    /**
     * @param program   the program being relocated
     * @param reference its reference to an {@code __arena} global
     * @param insns     its instructions, patched in place
     * @param maps      the load's maps
     * @param object    the object, whose one ARENA map holds the globals
     * @param light     whether this is a light load, which does not make arenas
     */
    static void patch(ProgramImage program, Relocation reference, long[] insns, LoadedMaps maps, ObjectImage object,
            boolean light) {
        String arena = arenaMapName(object).orElseThrow(() -> new IllegalStateException("program '" + program.name()
                + "' refers to __arena global '" + reference.symbol() + "', but the object declares no ARENA map"));
        if (light) {
            throw new UnsupportedOperationException("program '" + program.name() + "' refers to __arena global '"
                    + reference.symbol() + "' in map '" + arena + "': light skeletons do not make ARENA maps yet; "
                    + "load the object with LoadedObject.load");
        }
        int index = reference.instruction();
        long first = Instructions.withSrc(insns[index], Instructions.PSEUDO_MAP_VALUE);
        insns[index] = Instructions.withImm(first, maps.fd(arena).value());
        insns[index + 1] = Instructions.withImm(insns[index + 1], Math.toIntExact(reference.offset()));
    }

    /** The name of the object's ARENA map (the reader lets through one at most). */
    static java.util.Optional<String> arenaMapName(ObjectImage object) {
        return object.maps().stream().filter(m -> m.type() == MapType.ARENA.kernelValue()).map(MapDefinition::name).findFirst();
    }
}

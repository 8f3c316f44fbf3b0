package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfFormatException;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import dev.bpfglobals.runtime.internal.BpfMaps;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code __arena} globals (clang's {@code address_space(1)} variables, in section
 * {@code .addr_space.1}) and checks the object's ARENA maps against them, as libbpf's
 * {@code bpf_object__init_user_btf_maps} does: one ARENA map at most, declared {@code BPF_F_MMAPABLE}
 * (the kernel's {@code arena_map_alloc} refuses it otherwise), and one there whenever the object has
 * {@code __arena} globals, which live in it.
 */
final class ArenaReader {

    /** The section clang puts {@code __arena} globals in ({@code address_space(1)}). */
    static final String SECTION = ".addr_space.1";

    private ArenaReader() {
    }

    /**
     * @param elf  the object
     * @param btf  its fixed-up BTF, which types the variables where present
     * @param maps its {@code .maps} maps
     * @return the {@code .addr_space.1} section with its variables; empty without one
     * @throws ObjectFormatException for a second ARENA map, one without {@code BPF_F_MMAPABLE}, or
     *                               {@code __arena} globals without an ARENA map to hold them
     */
    static Optional<SectionImage> read(ElfFile elf, Optional<Btf> btf, List<MapDefinition> maps) {
        List<MapDefinition> arenas = maps.stream().filter(m -> m.type() == MapType.ARENA.kernelValue()).toList();
        if (arenas.size() > 1) {
            throw new ObjectFormatException("maps " + arenas.stream().map(MapDefinition::name).toList()
                    + " are both ARENA maps; an object may declare one (its __arena globals and arena pointers live in it)");
        }
        for (MapDefinition arena : arenas) {
            if ((arena.flags() & BpfMaps.F_MMAPABLE) == 0) {
                throw new ObjectFormatException("map '" + arena.name() + "' is an ARENA map without BPF_F_MMAPABLE in its "
                        + "map_flags (0x" + Integer.toHexString(arena.flags()) + "), which the kernel refuses: declare "
                        + "__uint(map_flags, BPF_F_MMAPABLE)");
            }
        }
        Optional<ElfSection> found = elf.section(SECTION);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ElfSection section = found.get();
        if (arenas.isEmpty()) {
            throw new ObjectFormatException("section " + SECTION + " holds __arena globals, but the object declares no ARENA "
                    + "map to hold them; declare one in SEC(\".maps\") with __uint(type, BPF_MAP_TYPE_ARENA)");
        }
        if (section.size() > Integer.MAX_VALUE) {
            throw new ObjectFormatException("section " + SECTION + " claims " + section.size() + " bytes");
        }
        int size = (int) section.size();
        int datasec = btf.map(types -> datasecId(types)).orElse(0);
        List<VariableImage> variables = new java.util.ArrayList<>(datasec != 0
                ? GlobalsReader.fromBtf(btf.orElseThrow(), datasec, section)
                : GlobalsReader.fromSymbols(symbolsIn(elf, section), section));
        for (VariableImage variable : variables) {
            if ((long) variable.offset() + variable.size() > size) {
                throw new ObjectFormatException("__arena variable '" + variable.name() + "' at " + variable.offset() + " with "
                        + variable.size() + " bytes lies outside section " + SECTION + " (" + size + " bytes)");
            }
        }
        variables.sort(Comparator.comparingInt(VariableImage::offset));
        byte[] image;
        try {
            image = section.isNoBits() ? new byte[0] : elf.contents(section, GlobalsReader.MAX_NOBITS);
        } catch (ElfFormatException e) {
            throw new ObjectFormatException(e.getMessage(), e);
        }
        return Optional.of(new SectionImage(SECTION, size, GlobalsReader.alignment(section), variables, image, datasec));
    }

    private static int datasecId(Btf btf) {
        for (int id = 1; id < btf.size(); id++) {
            if (btf.type(id) instanceof BtfType.Datasec d && d.name().equals(SECTION)) {
                return id;
            }
        }
        return 0;
    }

    private static List<ElfSymbol> symbolsIn(ElfFile elf, ElfSection section) {
        return elf.symbols().stream().filter(s -> s.isObject() && s.sectionIndex() == section.index()).toList();
    }
}

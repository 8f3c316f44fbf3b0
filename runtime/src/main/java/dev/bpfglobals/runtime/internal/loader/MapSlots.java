package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfRelocation;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The initial slots of maps of maps and of PROG_ARRAYs: {@code .values = { [i] = &inner }} leaves
 * the slots zero in {@code .maps} and makes clang emit one relocation in {@code .rel.maps} per slot,
 * against the inner map's symbol (or the tail program's), as libbpf's
 * {@code bpf_object__collect_map_relos} reads them.
 */
final class MapSlots {

    /** Each pointer slot of {@code values[]} is 8 bytes in the BPF target's layout. */
    private static final int SLOT_SIZE = 8;

    /** A map of maps, where its {@code values[]} array starts in {@code .maps} and where its variable ends. */
    record Declared(MapDefinition map, int valuesOffset, int end) {
    }

    private MapSlots() {
    }

    /** The maps, with the slots their {@code .rel.maps} relocations fill. */
    static List<MapDefinition> resolve(List<MapDefinition> maps, List<Declared> declared, ElfFile elf) {
        ElfSection section = elf.section(".maps").orElseThrow(() -> new ObjectFormatException("BTF DATASEC '.maps' declares map '"
                + declared.getFirst().map().name() + "' with values[], but the object has no .maps section to hold them"));
        Set<String> names = maps.stream().map(MapDefinition::name).collect(Collectors.toSet());
        Map<String, TreeMap<Integer, String>> slots = new HashMap<>();
        for (ElfSection rel : elf.relocationSectionsFor(section)) {
            for (ElfRelocation relocation : elf.relocations(rel)) {
                ElfSymbol symbol = elf.symbols().get(relocation.symbol());
                Declared outer = owner(declared, relocation.offset());
                if (outer == null) {
                    throw new ObjectFormatException(".maps has a relocation at offset " + relocation.offset() + " (against '"
                            + symbol.name() + "') outside any map's values[]; only .values = { [i] = &map } may hold pointers");
                }
                String name = outer.map().name();
                if (outer.map().type() == MapType.PROG_ARRAY.kernelValue()) {
                    if (!symbol.isFunction() || symbol.sectionIndex() == section.index()) {
                        throw notAProgram(name, (relocation.offset() - outer.valuesOffset()) / SLOT_SIZE, symbol, elf);
                    }
                } else if (symbol.sectionIndex() != section.index() || !names.contains(symbol.name())) {
                    throw new ObjectFormatException("map '" + name + "': .values holds '" + symbol.name() + "', which is not a "
                            + "map declared in SEC(\".maps\"); point each slot at a map declared there");
                }
                long index = (relocation.offset() - outer.valuesOffset()) / SLOT_SIZE;
                if (index >= outer.map().maxEntries()) {
                    throw new ObjectFormatException("map '" + name + "': .values sets slot [" + index + "], beyond its max_entries "
                            + outer.map().maxEntries() + "; raise max_entries or use a lower index");
                }
                slots.computeIfAbsent(name, n -> new TreeMap<>()).put((int) index, symbol.name());
            }
        }
        List<MapDefinition> out = new ArrayList<>(maps.size());
        for (MapDefinition m : maps) {
            TreeMap<Integer, String> filled = slots.get(m.name());
            out.add(filled == null ? m : m.withSlots(filled));
        }
        return out;
    }

    /** A PROG_ARRAY slot pointing at data, or at a static function (which clang names by its section). */
    private static ObjectFormatException notAProgram(String map, long slot, ElfSymbol symbol, ElfFile elf) {
        String what = symbol.isSection() ? "a static function in section " + elf.sections().get(symbol.sectionIndex()).name()
                : "'" + symbol.name() + "'";
        return new ObjectFormatException("map '" + map + "': .values slot [" + slot + "] holds " + what + ", which is not a "
                + "program; a PROG_ARRAY's slots point at programs (functions in a SEC(...) of their own)");
    }

    /** The map of maps whose {@code values[]} holds {@code offset}, or null. */
    private static Declared owner(List<Declared> declared, long offset) {
        return declared.stream().filter(d -> d.valuesOffset() <= offset && offset < d.end()).findFirst().orElse(null);
    }
}

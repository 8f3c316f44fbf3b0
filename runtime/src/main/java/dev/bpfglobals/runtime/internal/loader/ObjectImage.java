package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfExt;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A BPF object as the readers found it: the loader's data behind the public {@code ObjectSpec},
 * which wraps one. Immutable; the {@code with} methods return changed copies.
 *
 * @param byteOrder   the object's byte order
 * @param globals     its global-data sections, in file order
 * @param programs    its programs (the functions of every executable section but {@code .text})
 * @param subprograms the functions of {@code .text}, in address order
 * @param maps        the maps of {@code .maps}, in section order
 * @param license     the license string, empty without a {@code license} section
 * @param rawBtf      the {@code .BTF} section as the file holds it, {@code null} without one
 * @param fixedBtf    the BTF with every DATASEC fixed up, {@code null} without one (see {@link #btf()})
 * @param btfExt      the whole {@code .BTF.ext} section
 * @param externs     the symbols it declares and does not define, in symbol-table order
 * @param autoload    programs whose autoload differs from what their section says, by name
 * @param arena       the {@code .addr_space.1} section (the {@code __arena} globals, which the load puts at the
 *                    start of the object's ARENA map), {@code null} without one
 * @param structOps   the maps of {@code .struct_ops} and {@code .struct_ops.link}, in file order
 */
public record ObjectImage(ByteOrder byteOrder, List<SectionImage> globals, List<ProgramImage> programs,
        List<ProgramImage> subprograms, List<MapDefinition> maps, String license, byte[] rawBtf, Btf fixedBtf,
        BtfExt btfExt, List<ExternImage> externs, Map<String, Boolean> autoload, SectionImage arena,
        List<StructOpsImage> structOps) {

    /** Copies the lists. */
    public ObjectImage {
        globals = List.copyOf(globals);
        programs = List.copyOf(programs);
        subprograms = List.copyOf(subprograms);
        maps = List.copyOf(maps);
        externs = List.copyOf(externs);
        autoload = Map.copyOf(autoload);
        structOps = List.copyOf(structOps);
    }

    /** {@return the BTF with every DATASEC fixed up, as libbpf has it before loading; empty without {@code -g}} */
    public Optional<Btf> btf() {
        return Optional.ofNullable(fixedBtf);
    }

    /** {@return the {@code __arena} globals' section, {@code .addr_space.1}; empty without one} */
    public Optional<SectionImage> arenaSection() {
        return Optional.ofNullable(arena);
    }

    /**
     * @param name a program's C function name
     * @return the program, or empty
     */
    public Optional<ProgramImage> program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * @param name a function's C name
     * @return the program or subprogram of that name, what a {@link Relocation.Kind#CALL} names; or empty
     */
    public Optional<ProgramImage> function(String name) {
        return Stream.concat(programs.stream(), subprograms.stream()).filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * @param name a section's ELF name
     * @return the global section of that name, or empty
     */
    public Optional<SectionImage> globalSection(String name) {
        return globals.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * @param name an extern's C name
     * @return the extern, or empty
     */
    public Optional<ExternImage> extern(String name) {
        return externs.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * @param program a program of this object
     * @return whether a load loads it: as {@link #withAutoload} set it, else as its section says
     */
    public boolean autoload(ProgramImage program) {
        return autoload.getOrDefault(program.name(), program.autoload());
    }

    /**
     * @param kept the programs to keep
     * @return the same object with only {@code kept} as its programs
     */
    public ObjectImage withPrograms(List<ProgramImage> kept) {
        return new ObjectImage(byteOrder, globals, kept, subprograms, maps, license, rawBtf, fixedBtf, btfExt, externs, autoload, arena, structOps);
    }

    /**
     * @param name a program's C function name
     * @param load whether a load loads it
     * @return the same object with that program's autoload set
     */
    public ObjectImage withAutoload(String name, boolean load) {
        Map<String, Boolean> changed = new HashMap<>(autoload);
        changed.put(name, load);
        return new ObjectImage(byteOrder, globals, programs, subprograms, maps, license, rawBtf, fixedBtf, btfExt, externs, changed, arena, structOps);
    }

    /**
     * @param replaced the sections, each in the place of the one of its name
     * @return the same object with {@code replaced} as its global sections
     */
    public ObjectImage withGlobals(List<SectionImage> replaced) {
        return new ObjectImage(byteOrder, replaced, programs, subprograms, maps, license, rawBtf, fixedBtf, btfExt, externs, autoload, arena, structOps);
    }
}

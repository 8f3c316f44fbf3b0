package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.btf.BtfExtReader;
import dev.bpfglobals.runtime.btf.BtfFormatException;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfFormatException;
import dev.bpfglobals.runtime.elf.ElfSection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Reads the parts of a BPF object in order: ELF, BTF (fixed up), BTF.ext, global sections, maps, programs. */
public final class ObjectReader {

    private ObjectReader() {
    }

    public static ObjectImage read(byte[] bytes) {
        try {
            return parse(ElfFile.read(bytes));
        } catch (ElfFormatException e) {
            throw new ObjectFormatException(e.getMessage(), e);
        } catch (BtfFormatException e) {
            throw new ObjectFormatException("BTF: " + e.detail(), e);
        } catch (IllegalArgumentException e) {
            // A record refused values no compiler emits (a negative offset, a zero alignment).
            throw new ObjectFormatException(e.getMessage(), e);
        }
    }

    private static ObjectImage parse(ElfFile elf) {
        for (ElfSection section : elf.sections()) {
            if (section.name().equals("maps") && section.size() > 0) {
                throw new ObjectFormatException("section 'maps' holds legacy map definitions; declare maps in SEC(\".maps\") with __uint/__type");
            }
        }
        Optional<byte[]> rawBtf = elf.section(".BTF").map(s -> elf.contents(s, 0));
        Optional<Btf> btf = rawBtf.map(raw -> btf(".BTF", () -> DatasecFixup.apply(BtfReader.read(raw), elf)));
        BtfExt ext = rawBtf.isEmpty() ? BtfExt.EMPTY : elf.section(".BTF.ext")
                .map(s -> btf(".BTF.ext", () -> BtfExtReader.read(elf.contents(s, 0), rawBtf.get())))
                .orElse(BtfExt.EMPTY);
        if (btf.isEmpty() && elf.section(".maps").isPresent()) {
            throw new ObjectFormatException("section .maps declares maps, but the object has no .BTF to describe them; compile with -g");
        }
        List<SectionImage> globals = btf(".BTF", () -> GlobalsReader.read(elf, btf));
        List<MapDefinition> maps = btf.map(b -> btf(".BTF", () -> MapsSection.read(b, elf))).orElse(List.of());
        ProgramReader.Functions functions = ProgramReader.read(elf, ext);
        requireProgramSlotsArePrograms(maps, functions.programs());
        SectionImage arena = btf(".BTF", () -> ArenaReader.read(elf, btf, maps)).orElse(null);
        List<StructOpsImage> structOps = btf(".BTF", () -> StructOpsReader.read(elf, btf, functions.programs()));
        return new ObjectImage(elf.byteOrder(), globals, functions.programs(), functions.subprograms(), maps, license(elf),
                rawBtf.orElse(null), btf.orElse(null), ext, ExternsReader.read(elf, btf), java.util.Map.of(), arena, structOps);
    }

    /**
     * A PROG_ARRAY's {@code .values} may name only programs (libbpf's {@code init_prog_array_slots}
     * refuses a subprogram too): a function without a section of its own is never loaded alone.
     */
    private static void requireProgramSlotsArePrograms(List<MapDefinition> maps, List<ProgramImage> programs) {
        Set<String> names = programs.stream().map(ProgramImage::name).collect(Collectors.toSet());
        for (MapDefinition map : maps) {
            if (map.type() != MapType.PROG_ARRAY.kernelValue()) {
                continue;
            }
            map.slots().forEach((slot, name) -> {
                if (!names.contains(name)) {
                    throw new ObjectFormatException("map '" + map.name() + "': .values slot [" + slot + "] holds '" + name
                            + "', which is not a program of this object (a function in a SEC(...) of its own); "
                            + "a tail call can only jump to one");
                }
            });
        }
    }

    /** Runs a step that reads BTF, naming the section when the BTF is bad. */
    private static <T> T btf(String section, Supplier<T> step) {
        try {
            return step.get();
        } catch (BtfFormatException e) {
            String detail = e.detail().startsWith(section) ? e.detail() : "section " + section + ": " + e.detail();
            throw new ObjectFormatException(detail, e);
        }
    }

    /** The {@code license} section's string, up to its NUL; empty when there is none. */
    private static String license(ElfFile elf) {
        return elf.section("license").filter(s -> !s.isNoBits()).map(s -> {
            byte[] bytes = elf.contents(s, 0);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, 0, end, StandardCharsets.US_ASCII);
        }).orElse("");
    }
}

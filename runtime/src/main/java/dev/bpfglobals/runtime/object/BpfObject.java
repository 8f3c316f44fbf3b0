package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.contract.GlobalsContract;
import dev.bpfglobals.runtime.contract.LayoutComparison;
import dev.bpfglobals.runtime.contract.LayoutDifference;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A BPF object file opened without the kernel: its global sections with their variables and
 * initial images, checkable against a record's contract before anything reaches the kernel.
 * (Programs, maps and loading come with the loader; see the README's status table.)
 */
public final class BpfObject {

    /** Larger files are refused before they are read: no BPF object comes near it. */
    public static final long MAX_FILE_SIZE = 256L * 1024 * 1024;

    private final List<GlobalSection> globals;
    private final List<ProgramSpec> programs;
    private final List<MapSpec> maps;
    private final String license;

    private BpfObject(List<GlobalSection> globals, List<ProgramSpec> programs, List<MapSpec> maps, String license) {
        this.globals = List.copyOf(globals);
        this.programs = List.copyOf(programs);
        this.maps = List.copyOf(maps);
        this.license = license;
    }

    /** Reads and parses the object at {@code path}. */
    public static BpfObject open(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_SIZE) {
            throw new BpfFormatException(path + " is " + size + " bytes, over the " + MAX_FILE_SIZE + "-byte limit");
        }
        return open(Files.readAllBytes(path));
    }

    /**
     * Parses an object from its bytes.
     *
     * @throws BpfFormatException naming what is wrong, for any malformed input
     */
    public static BpfObject open(byte[] bytes) {
        try {
            return parse(ElfFile.parse(bytes));
        } catch (dev.bpfglobals.runtime.btf.BtfFormatException e) {
            throw new BpfFormatException("section .BTF: " + e.getMessage());
        } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException e) {
            // A check was missed somewhere: still the one format error, never a stray runtime exception.
            throw new BpfFormatException("inconsistent offsets or sizes (" + e.getMessage() + ")");
        }
    }

    private static BpfObject parse(ElfFile elf) {
        List<GlobalSection> globals = new ArrayList<>();
        for (ElfFile.Section section : elf.sections()) {
            if (!GlobalSection.isGlobalData(section.name())) {
                continue;
            }
            if (section.size() > Integer.MAX_VALUE) {
                throw new BpfFormatException("section " + section.name() + " claims " + section.size() + " bytes");
            }
            List<VariableContract> variables = new ArrayList<>();
            for (ElfFile.Symbol symbol : elf.symbols()) {
                if (symbol.sectionIndex() != section.index() || symbol.type() != ElfFile.Symbol.STT_OBJECT) {
                    continue;
                }
                if (symbol.value() < 0 || symbol.size() < 1 || symbol.value() + symbol.size() > section.size()) {
                    throw new BpfFormatException("symbol " + symbol.name() + " at " + symbol.value() + " with "
                            + symbol.size() + " bytes lies outside section " + section.name() + " (" + section.size() + " bytes)");
                }
                variables.add(new VariableContract(symbol.name(), "", (int) symbol.value(), (int) symbol.size(),
                        naturalAlignment(symbol.value(), symbol.size())));
            }
            variables.sort(Comparator.comparingInt(VariableContract::offset));
            globals.add(new GlobalSection(section.name(), (int) section.size(), variables, elf.contents(section)));
        }
        List<MapSpec> maps = elf.sections().stream().filter(s -> s.name().equals(".BTF")).findFirst()
                .map(btf -> MapsSection.read(dev.bpfglobals.runtime.btf.BtfReader.read(elf.contents(btf))))
                .orElse(List.of());
        String license = elf.sections().stream().filter(s -> s.name().equals("license")).findFirst()
                .map(s -> new String(elf.contents(s), java.nio.charset.StandardCharsets.US_ASCII).split("\0", 2)[0])
                .orElse("");
        return new BpfObject(globals, programs(elf), maps, license);
    }

    private static List<ProgramSpec> programs(ElfFile elf) {
        List<ProgramSpec> programs = new ArrayList<>();
        for (ElfFile.Section section : elf.sections()) {
            if ((section.flags() & ElfFile.SHF_EXECINSTR) == 0 || section.size() == 0) {
                continue;
            }
            if (section.size() % 8 != 0) {
                throw new BpfFormatException("program section " + section.name() + " is " + section.size()
                        + " bytes, not a whole number of 8-byte instructions");
            }
            java.nio.LongBuffer words = java.nio.ByteBuffer.wrap(elf.contents(section)).order(elf.order()).asLongBuffer();
            long[] instructions = new long[words.remaining()];
            words.get(instructions);
            String name = elf.symbols().stream()
                    .filter(y -> y.sectionIndex() == section.index() && y.type() == 2 && y.value() == 0)
                    .map(ElfFile.Symbol::name).findFirst().orElse(section.name());
            List<ProgramSpec.Reference> references = new ArrayList<>();
            for (ElfFile.Section rel : elf.sections()) {
                if (rel.type() != ElfFile.SHT_REL || rel.info() != section.index()) {
                    continue;
                }
                for (ElfFile.Relocation r : elf.relocations(rel)) {
                    ElfFile.Symbol symbol = elf.symbols().get(r.symbolIndex());
                    if (r.offset() < 0 || r.offset() % 8 != 0 || r.offset() / 8 >= instructions.length) {
                        throw new BpfFormatException("relocation at byte " + r.offset() + " of " + rel.name()
                                + " is not an instruction of " + section.name());
                    }
                    String symbolSection = symbol.sectionIndex() < elf.sections().size()
                            ? elf.sections().get(symbol.sectionIndex()).name() : "";
                    String symbolName = symbol.type() == 3 ? symbolSection : symbol.name();
                    references.add(new ProgramSpec.Reference((int) (r.offset() / 8), symbolName, symbolSection, symbol.value()));
                }
            }
            programs.add(new ProgramSpec(name, section.name(), instructions, references));
        }
        return programs;
    }

    /** The same object with only {@code kept} as its programs, e.g. to load a subset. */
    public BpfObject withPrograms(List<ProgramSpec> kept) {
        return new BpfObject(globals, kept, maps, license);
    }

    /**
     * The same object with {@code image} as the initial bytes of global section {@code section}: how
     * Java sets globals (a limit in {@code .data}, a constant in {@code .rodata}, the initial per-CPU
     * values of {@code .percpu}) before load. Encode the image with the generated codec.
     *
     * @throws IllegalArgumentException if the object has no such section or the image's size differs
     */
    public BpfObject withGlobalImage(String section, byte[] image) {
        GlobalSection old = globalSection(section).orElseThrow(() -> new IllegalArgumentException(
                "no global section " + section + "; the object has " + globals.stream().map(GlobalSection::name).toList()));
        if (image.length != old.size()) {
            throw new IllegalArgumentException("image for " + section + " is " + image.length + " bytes; the section is " + old.size());
        }
        List<GlobalSection> replaced = globals.stream()
                .map(g -> g == old ? new GlobalSection(g.name(), g.size(), g.variables(), image) : g).toList();
        return new BpfObject(replaced, programs, maps, license);
    }

    /** The programs, one per executable section. */
    public List<ProgramSpec> programs() {
        return programs;
    }

    /** The maps declared in {@code .maps}. */
    public List<MapSpec> maps() {
        return maps;
    }

    /** The license string (the kernel lets only GPL-compatible programs call GPL helpers). */
    public String license() {
        return license;
    }

    /** The largest power of two up to 8 that divides both offset and size: what clang could have used. */
    private static int naturalAlignment(long offset, long size) {
        int alignment = 8;
        while (alignment > 1 && (offset % alignment != 0 || size % alignment != 0)) {
            alignment /= 2;
        }
        return alignment;
    }

    /** Every global-data section of the object, in file order. */
    public List<GlobalSection> globalSections() {
        return globals;
    }

    /** The section with this name, if the object has it. */
    public Optional<GlobalSection> globalSection(String name) {
        return globals.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * Every difference between the object's sections and {@code contract}: the Java record and the
     * C program drifted apart when this is not empty.
     */
    public List<LayoutDifference> checkAgainst(GlobalsContract contract) {
        List<LayoutDifference> differences = new ArrayList<>();
        for (SectionContract expected : contract.sections()) {
            Optional<GlobalSection> actual = globalSection(expected.name());
            if (actual.isEmpty()) {
                differences.add(new LayoutDifference(null, "section " + expected.name(), "present", "missing"));
                continue;
            }
            for (LayoutDifference difference : LayoutComparison.compare(expected, actual.get().layout())) {
                differences.add(difference.variable() == null
                        ? new LayoutDifference(null, expected.name() + " " + difference.property(), difference.expected(), difference.actual())
                        : difference);
            }
        }
        return differences;
    }
}

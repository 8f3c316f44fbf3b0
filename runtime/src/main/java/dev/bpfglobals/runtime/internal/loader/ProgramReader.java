package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfRelocation;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the executable sections into functions (one per FUNC symbol, as libbpf does) and gives each
 * its instructions, the relocations that fall in it, and its {@code .BTF.ext} records. Functions in
 * {@code .text} are subprograms; functions in any other section are programs of the type its name
 * stands for.
 */
final class ProgramReader {

    /** The result: entry programs and the subprograms they may call. */
    record Functions(List<ProgramImage> programs, List<ProgramImage> subprograms) {
    }

    /** One function while it is assembled; {@code start} and {@code end} are instruction indices in its section. */
    private record Function(String name, int start, int end, List<Relocation> relocations) {
    }

    private final ElfFile elf;
    // Indexes built once, so that no input makes the work grow with the product of two counts.
    private final Map<Integer, List<ElfSymbol>> functionSymbols = new HashMap<>();
    private final Map<Integer, List<ElfSection>> relocationSections = new HashMap<>();
    private final Map<String, List<BtfExt.FuncInfo>> funcInfo;
    private final Map<String, List<BtfExt.LineInfo>> lineInfo;
    private final Map<String, List<BtfExt.CoreRelocation>> coreRelocations;

    private ProgramReader(ElfFile elf, BtfExt ext) {
        this.elf = elf;
        for (ElfSymbol symbol : elf.symbols()) {
            if (symbol.isFunction()) {
                functionSymbols.computeIfAbsent(symbol.sectionIndex(), i -> new ArrayList<>()).add(symbol);
            }
        }
        // Comparators written out, not Comparator.comparingInt/Long: the JDK's lambdas inside those are
        // serializable, so no AOT cache holds them, and a cold JVM spins a class for each (docs/benchmarks.md#cold-start).
        functionSymbols.values().forEach(list -> list.sort((a, b) -> Long.compare(a.value(), b.value())));
        for (ElfSection section : elf.sections()) {
            if (section.type() == ElfFile.SHT_REL) {
                relocationSections.computeIfAbsent(section.info(), i -> new ArrayList<>()).add(section);
            }
        }
        funcInfo = bySection(ext.funcInfo(), BtfExt.FuncInfo::section, BtfExt.FuncInfo::instruction);
        lineInfo = bySection(ext.lineInfo(), BtfExt.LineInfo::section, BtfExt.LineInfo::instruction);
        coreRelocations = bySection(ext.coreRelocations(), BtfExt.CoreRelocation::section, BtfExt.CoreRelocation::instruction);
    }

    private static <T> Map<String, List<T>> bySection(List<T> records, java.util.function.Function<T, String> section,
            java.util.function.ToIntFunction<T> instruction) {
        Map<String, List<T>> out = new HashMap<>();
        records.forEach(r -> out.computeIfAbsent(section.apply(r), s -> new ArrayList<>()).add(r));
        out.values().forEach(list -> list.sort((a, b) -> Integer.compare(instruction.applyAsInt(a), instruction.applyAsInt(b))));
        return out;
    }

    static Functions read(ElfFile elf, BtfExt ext) {
        ProgramReader reader = new ProgramReader(elf, ext);
        List<ProgramImage> programs = new ArrayList<>();
        List<ProgramImage> subprograms = new ArrayList<>();
        for (ElfSection section : elf.sections()) {
            if (section.isExecutable() && section.type() == ElfFile.SHT_PROGBITS && section.size() > 0) {
                boolean text = section.name().equals(".text");
                (text ? subprograms : programs).addAll(reader.section(section, text));
            }
        }
        return new Functions(programs, subprograms);
    }

    private List<ProgramImage> section(ElfSection section, boolean text) {
        if (section.size() % 8 != 0) {
            throw new ObjectFormatException("program section " + section.name() + " is " + section.size()
                    + " bytes, not a whole number of 8-byte instructions");
        }
        long[] insns = decode(elf.view(section), elf.byteOrder());
        List<Function> functions = functions(section, insns.length);
        Map<Integer, Function> byStart = new HashMap<>();
        functions.forEach(f -> byStart.put(f.start(), f));
        boolean[] relocated = new boolean[insns.length];
        for (ElfSection rel : relocationSections.getOrDefault(section.index(), List.of())) {
            for (ElfRelocation relocation : elf.relocations(rel)) {
                int index = instructionOf(relocation, section, insns.length);
                Function owner = owner(functions, index, section);
                owner.relocations().add(classify(relocation, section, insns, index, owner).at(index - owner.start()));
                relocated[index] = true;
            }
        }
        // Calls between functions of one section carry no relocation: clang resolved them already.
        for (Function function : functions) {
            for (int i = function.start(); i < function.end(); i++) {
                if (!relocated[i] && Instructions.opcode(insns[i]) == Instructions.CALL
                        && Instructions.src(insns[i]) == Instructions.PSEUDO_CALL) {
                    Function callee = callee(byStart, (long) i + Instructions.imm(insns[i]) + 1, section, function, i);
                    function.relocations().add(new Relocation(i - function.start(), Relocation.Kind.CALL, callee.name(),
                            section.name(), callee.start()));
                }
            }
        }
        ProgramType type = text ? ProgramType.UNSPEC : ProgramType.ofSection(section.name());
        List<ProgramImage> out = new ArrayList<>();
        for (Function f : functions) {
            f.relocations().sort((a, b) -> Integer.compare(a.instruction(), b.instruction()));
            out.add(new ProgramImage(f.name(), section.name(), type, f.start(), Arrays.copyOfRange(insns, f.start(), f.end()),
                    f.relocations(), ext(section.name(), f.start(), f.end())));
        }
        return out;
    }

    /** Instructions as {@link Instructions} reads them: the register nibbles swap places in big-endian files. */
    private static long[] decode(ByteBuffer bytes, ByteOrder order) {
        long[] out = new long[bytes.remaining() / 8];
        boolean big = order == ByteOrder.BIG_ENDIAN;
        for (int i = 0; i < out.length; i++) {
            int at = i * 8;
            int registers = bytes.get(at + 1) & 0xff;
            int dst = big ? registers >>> 4 : registers & 0xf;
            int src = big ? registers & 0xf : registers >>> 4;
            out[i] = Instructions.of(bytes.get(at), dst, src, bytes.getShort(at + 2), bytes.getInt(at + 4));
        }
        return out;
    }

    /** The section's FUNC symbols as instruction ranges; a section without any is one function named after it. */
    private List<Function> functions(ElfSection section, int count) {
        List<ElfSymbol> symbols = functionSymbols.getOrDefault(section.index(), List.of());
        List<Function> out = new ArrayList<>();
        if (symbols.isEmpty()) {
            out.add(new Function(section.name(), 0, count, new ArrayList<>()));
            return out;
        }
        for (int i = 0; i < symbols.size(); i++) {
            ElfSymbol symbol = symbols.get(i);
            long next = i + 1 < symbols.size() ? symbols.get(i + 1).value() : section.size();
            long end = symbol.size() > 0 ? symbol.value() + symbol.size() : next;
            if (symbol.value() < 0 || symbol.value() % 8 != 0 || end % 8 != 0 || end <= symbol.value() || end > next) {
                throw new ObjectFormatException("function '" + symbol.name() + "' at byte " + symbol.value() + " with "
                        + symbol.size() + " bytes does not fit section " + section.name() + " (" + section.size()
                        + " bytes) as whole instructions apart from its neighbours");
            }
            out.add(new Function(symbol.name(), (int) (symbol.value() / 8), (int) (end / 8), new ArrayList<>()));
        }
        return out;
    }

    private static int instructionOf(ElfRelocation relocation, ElfSection section, int count) {
        if (relocation.offset() < 0 || relocation.offset() % 8 != 0 || relocation.offset() / 8 >= count) {
            throw new ObjectFormatException("relocation at byte " + relocation.offset() + " of section " + section.name()
                    + " is not the start of one of its " + count + " instructions");
        }
        return (int) (relocation.offset() / 8);
    }

    /** The function holding instruction {@code index}: functions are sorted and disjoint, so search. */
    private static Function owner(List<Function> functions, int index, ElfSection section) {
        int low = 0;
        int high = functions.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Function function = functions.get(middle);
            if (index < function.start()) {
                high = middle - 1;
            } else if (index >= function.end()) {
                low = middle + 1;
            } else {
                return function;
            }
        }
        throw new ObjectFormatException("relocation of instruction " + index + " of section " + section.name()
                + " lies outside every function");
    }

    private Relocation classify(ElfRelocation relocation, ElfSection section, long[] insns, int index, Function owner) {
        ElfSymbol symbol = elf.symbols().get(relocation.symbol());
        String where = "function '" + owner.name() + "' in section " + section.name() + ", instruction " + (index - owner.start());
        long insn = insns[index];
        int opcode = Instructions.opcode(insn);
        if (opcode != Instructions.CALL && opcode != Instructions.LD_IMM64) {
            throw new ObjectFormatException(where + ": relocation against '" + symbol.name() + "' on opcode 0x"
                    + Integer.toHexString(opcode) + ", which is neither a 64-bit load nor a call");
        }
        if (opcode == Instructions.LD_IMM64 && index + 1 >= owner.end()) {
            throw new ObjectFormatException(where + ": the 64-bit load of '" + symbol.name() + "' has no second half");
        }
        if (symbol.isUndefined()) {
            return new Relocation(index, Relocation.Kind.EXTERN, symbol.name(), "", 0);
        }
        if (symbol.sectionIndex() >= ElfFile.SHN_LORESERVE) {
            return new Relocation(index, Relocation.Kind.UNKNOWN, symbol.name(), "", symbol.value());
        }
        ElfSection target = elf.section(symbol.sectionIndex());
        String name = symbol.isSection() ? target.name() : symbol.name();
        if (target.isExecutable()) {
            long callee = opcode == Instructions.CALL
                    ? Math.floorDiv(symbol.value(), 8) + Instructions.imm(insn) + 1
                    : Math.floorDiv(symbol.value() + Instructions.imm(insn), 8);
            Function function = callee(functionsByStart(target), callee, target, owner, index - owner.start());
            return new Relocation(index, opcode == Instructions.CALL ? Relocation.Kind.CALL : Relocation.Kind.FUNCTION_ADDRESS,
                    function.name(), target.name(), function.start());
        }
        if (opcode == Instructions.CALL) {
            throw new ObjectFormatException(where + ": call relocated against '" + name + "' in " + target.name()
                    + ", which holds no code");
        }
        if (target.name().equals(".maps")) {
            return new Relocation(index, Relocation.Kind.MAP, name, target.name(), symbol.value());
        }
        if (target.name().equals(ArenaReader.SECTION)) {
            // libbpf's arena data relocation: an address in the ARENA map, where the load put the __arena globals.
            return new Relocation(index, Relocation.Kind.ARENA_DATA, name, target.name(), offsetInside(where, name, target, symbol, insn));
        }
        if (SectionImage.isGlobalData(target.name())) {
            return new Relocation(index, Relocation.Kind.GLOBAL_DATA, name, target.name(), offsetInside(where, name, target, symbol, insn));
        }
        return new Relocation(index, Relocation.Kind.UNKNOWN, name, target.name(), symbol.value());
    }

    /** A data reference's offset in its section, symbol value plus immediate, refused where it lies outside it. */
    private static long offsetInside(String where, String name, ElfSection target, ElfSymbol symbol, long insn) {
        long offset = symbol.value() + Instructions.imm(insn);
        if (offset < 0 || offset > target.size()) {
            throw new ObjectFormatException(where + ": reference to '" + name + "' at offset " + offset
                    + " lies outside section " + target.name() + " (" + target.size() + " bytes)");
        }
        return offset;
    }

    private final Map<Integer, Map<Integer, Function>> starts = new HashMap<>();

    /** Functions of another executable section by first instruction, computed once per section. */
    private Map<Integer, Function> functionsByStart(ElfSection section) {
        return starts.computeIfAbsent(section.index(), i -> {
            Map<Integer, Function> byStart = new HashMap<>();
            functions(section, (int) (section.size() / 8)).forEach(f -> byStart.put(f.start(), f));
            return byStart;
        });
    }

    private static Function callee(Map<Integer, Function> byStart, long target, ElfSection section, Function caller, int at) {
        Function callee = target < 0 || target > Integer.MAX_VALUE ? null : byStart.get((int) target);
        if (callee == null) {
            throw new ObjectFormatException("function '" + caller.name() + "', instruction " + at + ": the call target, instruction "
                    + target + " of section " + section.name() + ", is not the start of a function");
        }
        return callee;
    }

    /** The {@code .BTF.ext} records of instructions {@code [start, end)} of {@code section}, counted from {@code start}. */
    private BtfExt ext(String section, int start, int end) {
        return new BtfExt(
                range(funcInfo.get(section), BtfExt.FuncInfo::instruction, start, end).stream()
                        .map(f -> new BtfExt.FuncInfo(f.section(), f.instruction() - start, f.typeId())).toList(),
                range(lineInfo.get(section), BtfExt.LineInfo::instruction, start, end).stream()
                        .map(l -> new BtfExt.LineInfo(l.section(), l.instruction() - start, l.fileName(), l.line(),
                                l.lineNumber(), l.column())).toList(),
                range(coreRelocations.get(section), BtfExt.CoreRelocation::instruction, start, end).stream()
                        .map(c -> new BtfExt.CoreRelocation(c.section(), c.instruction() - start, c.typeId(), c.accessString(),
                                c.kind())).toList());
    }

    /** The records of a list sorted by instruction whose instruction lies in {@code [start, end)}. */
    private static <T> List<T> range(List<T> sorted, java.util.function.ToIntFunction<T> instruction, int start, int end) {
        if (sorted == null) {
            return List.of();
        }
        return sorted.subList(firstAtOrAfter(sorted, instruction, start), firstAtOrAfter(sorted, instruction, end));
    }

    private static <T> int firstAtOrAfter(List<T> sorted, java.util.function.ToIntFunction<T> instruction, int value) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (instruction.applyAsInt(sorted.get(middle)) < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}

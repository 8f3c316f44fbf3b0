package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the global-data sections: initial image from the section, variables from the section's
 * (fixed-up) DATASEC when the object has BTF, else from the symbol table without C types.
 */
final class GlobalsReader {

    /**
     * Zero-filled sections larger than this, alone or together, are refused: the kernel's own cap on
     * an ARRAY's value ({@code INT_MAX} in {@code array_map_alloc_check}), so any .bss the kernel can
     * hold opens. Together, since each is a 64-byte section header that would make loading allocate
     * up to this much; reading allocates none of it ({@link SectionImage#initialBytes()}).
     */
    static final long MAX_NOBITS = Integer.MAX_VALUE;

    private GlobalsReader() {
    }

    static List<SectionImage> read(ElfFile elf, Optional<Btf> btf) {
        Map<String, Integer> datasecs = new HashMap<>();
        btf.ifPresent(types -> {
            for (int id = 1; id < types.size(); id++) {
                if (types.type(id) instanceof BtfType.Datasec d) {
                    datasecs.putIfAbsent(d.name(), id);
                }
            }
        });
        Map<Integer, List<ElfSymbol>> objects = new HashMap<>();
        for (ElfSymbol symbol : elf.symbols()) {
            if (symbol.isObject()) {
                objects.computeIfAbsent(symbol.sectionIndex(), i -> new ArrayList<>()).add(symbol);
            }
        }
        List<SectionImage> out = new ArrayList<>();
        long zeroFilled = 0;
        for (ElfSection section : elf.sections()) {
            boolean data = section.type() == ElfFile.SHT_PROGBITS || section.isNoBits();
            if (!data || !SectionImage.isGlobalData(section.name())) {
                continue;
            }
            if (section.size() > Integer.MAX_VALUE) {
                throw new ObjectFormatException("section " + section.name() + " claims " + section.size() + " bytes");
            }
            int size = (int) section.size();
            Integer datasec = datasecs.get(section.name());
            List<VariableImage> variables = datasec != null
                    ? fromBtf(btf.orElseThrow(), datasec, section)
                    : fromSymbols(objects.getOrDefault(section.index(), List.of()), section);
            for (VariableImage variable : variables) {
                // In long: offset and size are each up to 2^31 - 1, and their int sum would wrap past this check.
                if ((long) variable.offset() + variable.size() > size) {
                    throw new ObjectFormatException("variable '" + variable.name() + "' at " + variable.offset() + " with "
                            + variable.size() + " bytes lies outside section " + section.name() + " (" + size + " bytes)");
                }
            }
            variables.sort((a, b) -> Integer.compare(a.offset(), b.offset())); // not comparingInt: see ProgramReader
            if (section.isNoBits()) {
                zeroFilled += section.size();
                if (zeroFilled > MAX_NOBITS) {
                    throw new ObjectFormatException("zero-filled sections up to " + section.name() + " claim " + zeroFilled
                            + " bytes together, more than the " + MAX_NOBITS + " allowed");
                }
            }
            byte[] image;
            try {
                // A zero-filled section's zeros are made when its map is (SectionImage.initialBytes), not here.
                image = section.isNoBits() ? new byte[0] : elf.contents(section, MAX_NOBITS);
            } catch (dev.bpfglobals.runtime.elf.ElfFormatException e) {
                throw new ObjectFormatException(e.getMessage(), e);
            }
            out.add(new SectionImage(section.name(), size, alignment(section), variables, image, datasec == null ? 0 : datasec));
        }
        return out;
    }

    static List<VariableImage> fromBtf(Btf btf, int datasecId, ElfSection section) {
        List<VariableImage> out = new ArrayList<>();
        for (BtfType.VarSecinfo entry : ((BtfType.Datasec) btf.type(datasecId)).entries()) {
            BtfType var = btf.type(entry.type());
            boolean global = var instanceof BtfType.Var v && v.linkage() == BtfType.Linkage.GLOBAL;
            String cName = btf.cName(entry.type());
            long typeSize = btf.sizeOf(entry.type());
            // The kernel refuses an entry smaller than its type; a larger one would make values read past the type.
            if (entry.size() != typeSize) {
                throw new ObjectFormatException("BTF DATASEC '" + section.name() + "' gives variable '" + var.name() + "' "
                        + entry.size() + " bytes, but its type " + cName + " has " + typeSize);
            }
            out.add(new VariableImage(var.name(), cName, entry.offset(), entry.size(),
                    btf.alignmentOf(entry.type()), global));
        }
        return out;
    }

    static List<VariableImage> fromSymbols(List<ElfSymbol> symbols, ElfSection section) {
        List<VariableImage> out = new ArrayList<>();
        for (ElfSymbol symbol : symbols) {
            if (symbol.value() < 0 || symbol.size() < 0 || symbol.value() > section.size()
                    || symbol.size() > section.size() - symbol.value()) {
                throw new ObjectFormatException("symbol '" + symbol.name() + "' at " + symbol.value() + " with " + symbol.size()
                        + " bytes lies outside section " + section.name() + " (" + section.size() + " bytes)");
            }
            out.add(new VariableImage(symbol.name(), "", (int) symbol.value(), (int) symbol.size(),
                    naturalAlignment(symbol.value(), symbol.size()),
                    symbol.isGlobal() && symbol.visibility() != ElfFile.STV_HIDDEN));
        }
        return out;
    }

    /** The largest power of two up to 8 that divides both offset and size: what clang could have used. */
    private static int naturalAlignment(long offset, long size) {
        int alignment = 8;
        while (alignment > 1 && (offset % alignment != 0 || size % alignment != 0)) {
            alignment /= 2;
        }
        return alignment;
    }

    static int alignment(ElfSection section) {
        long alignment = section.alignment();
        if (alignment == 0) {
            return 1; // ELF: no constraint
        }
        if (alignment < 0 || alignment > 4096 || Long.bitCount(alignment) != 1) {
            throw new ObjectFormatException("section " + section.name() + " has alignment " + alignment
                    + ", not a power of two up to 4096");
        }
        return (int) alignment;
    }
}

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
 * Completes the DATASECs clang writes, as libbpf's {@code btf_fixup_datasec} does: clang leaves a
 * section's size and every variable's offset 0 (clang -O2 -g -target bpf; BtfReaderTest shows it), so the size comes from the ELF
 * section header and each offset from its variable's symbol ({@code st_value}). Variables that
 * are global but hidden become static, and each DATASEC's variables end up sorted by offset, as
 * the kernel requires. Functions that are global (or weak) but hidden become static too, as libbpf
 * marks them ({@code mark_btf_static}): the verifier then checks them in their caller's context
 * rather than alone against their BTF prototype, as {@code usdt.bpf.h}'s {@code __weak __hidden}
 * {@code bpf_usdt_arg} needs.
 */
final class DatasecFixup {

    /** Sections whose variables are externs resolved at load time; they have no ELF symbols to fix from. */
    private static final List<String> EXTERN_SECTIONS = List.of(".kconfig", ".ksyms");

    private DatasecFixup() {
    }

    static Btf apply(Btf btf, ElfFile elf) {
        // Data symbols by section and name, built once: a DATASEC may list many variables.
        Map<Integer, Map<String, ElfSymbol>> symbols = new HashMap<>();
        for (ElfSymbol symbol : elf.symbols()) {
            if (symbol.isObject()) {
                symbols.computeIfAbsent(symbol.sectionIndex(), s -> new HashMap<>()).putIfAbsent(symbol.name(), symbol);
            }
        }
        Map<String, ElfSection> sections = new HashMap<>();
        elf.sections().forEach(section -> sections.putIfAbsent(section.name(), section));
        Map<Integer, BtfType> fixed = new HashMap<>();
        for (int id = 1; id < btf.size(); id++) {
            if (btf.type(id) instanceof BtfType.Datasec datasec && !EXTERN_SECTIONS.contains(datasec.name())) {
                fix(btf, sections, symbols, id, datasec, fixed);
            }
        }
        hiddenFunctionsStatic(btf, elf, fixed);
        return fixed.isEmpty() ? btf : btf.withTypes(fixed);
    }

    private static void hiddenFunctionsStatic(Btf btf, ElfFile elf, Map<Integer, BtfType> fixed) {
        java.util.Set<String> hidden = new java.util.HashSet<>();
        for (ElfSymbol symbol : elf.symbols()) {
            if (symbol.isFunction() && symbol.binding() != ElfFile.STB_LOCAL && symbol.visibility() == ElfFile.STV_HIDDEN) {
                hidden.add(symbol.name());
            }
        }
        for (int id = 1; id < btf.size() && !hidden.isEmpty(); id++) {
            if (btf.type(id) instanceof BtfType.Func func && func.linkage() == BtfType.Linkage.GLOBAL && hidden.contains(func.name())) {
                fixed.put(id, new BtfType.Func(func.name(), func.type(), BtfType.Linkage.STATIC));
            }
        }
    }

    private static void fix(Btf btf, Map<String, ElfSection> sections, Map<Integer, Map<String, ElfSymbol>> symbols, int id,
            BtfType.Datasec datasec, Map<Integer, BtfType> fixed) {
        Optional<ElfSection> section = Optional.ofNullable(sections.get(datasec.name()));
        boolean sizeMissing = datasec.size() == 0;
        if (section.isPresent() && section.get().size() > Integer.MAX_VALUE) {
            throw new ObjectFormatException("section " + datasec.name() + " claims " + section.get().size() + " bytes");
        }
        if (section.isEmpty() || section.get().size() == 0) {
            if (sizeMissing) {
                throw new ObjectFormatException("BTF DATASEC '" + datasec.name() + "' has no ELF section with a size to take");
            }
            return; // already complete, e.g. written by a linker
        }
        int size = sizeMissing ? (int) section.get().size() : datasec.size();
        List<BtfType.VarSecinfo> entries = new ArrayList<>();
        for (BtfType.VarSecinfo entry : datasec.entries()) {
            BtfType target = btf.type(entry.type());
            ElfSymbol symbol = Optional.ofNullable(symbols.getOrDefault(section.get().index(), Map.of()).get(target.name()))
                    .orElseThrow(() -> new ObjectFormatException("BTF DATASEC '" + datasec.name() + "': variable '"
                            + target.name() + "' has no symbol in section " + datasec.name()));
            long offset = sizeMissing ? symbol.value() : entry.offset();
            if (offset < 0 || offset + entry.size() > size) {
                throw new ObjectFormatException("BTF DATASEC '" + datasec.name() + "': variable '" + target.name() + "' at "
                        + offset + " with " + entry.size() + " bytes lies outside the " + size + "-byte section");
            }
            entries.add(new BtfType.VarSecinfo(entry.type(), (int) offset, entry.size()));
            if (target instanceof BtfType.Var var && var.linkage() == BtfType.Linkage.GLOBAL
                    && symbol.visibility() == ElfFile.STV_HIDDEN) {
                fixed.put(entry.type(), new BtfType.Var(var.name(), var.type(), BtfType.Linkage.STATIC));
            }
        }
        entries.sort((a, b) -> Integer.compare(a.offset(), b.offset())); // not comparingInt: see ProgramReader
        fixed.put(id, new BtfType.Datasec(datasec.name(), size, entries));
    }
}

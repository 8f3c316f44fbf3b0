package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the object's externs: every named undefined symbol, sorted by the DATASEC its BTF puts it in,
 * as libbpf's {@code bpf_object__collect_externs} does. Reading never fails on an extern; whether
 * one can be resolved is the loader's question.
 */
public final class ExternsReader {

    public static final String KSYMS = ".ksyms";
    public static final String KCONFIG = ".kconfig";

    private ExternsReader() {
    }

    static List<ExternImage> read(ElfFile elf, Optional<Btf> btf) {
        Map<String, ExternImage> externs = new LinkedHashMap<>();
        Map<String, BtfType> ksyms = entries(btf, KSYMS);
        Map<String, BtfType> kconfig = entries(btf, KCONFIG);
        for (ElfSymbol symbol : elf.symbols()) {
            if (!symbol.isUndefined() || symbol.name().isEmpty() || symbol.isSection() || externs.containsKey(symbol.name())) {
                continue;
            }
            boolean weak = symbol.binding() == ElfFile.STB_WEAK;
            BtfType ksym = ksyms.get(symbol.name());
            BtfType config = kconfig.get(symbol.name());
            ExternImage extern;
            if (config instanceof BtfType.Var var) {
                extern = new ExternImage(symbol.name(), ExternImage.Kind.KCONFIG, btf.orElseThrow().cName(var.type()), weak);
            } else if (ksym instanceof BtfType.Func) {
                extern = new ExternImage(symbol.name(), ExternImage.Kind.KFUNC, "", weak);
            } else if (ksym instanceof BtfType.Var var) {
                Btf types = btf.orElseThrow();
                boolean typeless = var.type() == 0 || types.resolve(var.type()) == 0;
                extern = new ExternImage(symbol.name(), typeless ? ExternImage.Kind.TYPELESS_KSYM : ExternImage.Kind.TYPED_KSYM,
                        typeless ? "void" : types.cName(var.type()), weak);
            } else {
                extern = new ExternImage(symbol.name(), ExternImage.Kind.OTHER, "", weak);
            }
            externs.put(symbol.name(), extern);
        }
        return new ArrayList<>(externs.values());
    }

    /** The types a DATASEC lists, by name; empty without BTF or without that DATASEC. */
    private static Map<String, BtfType> entries(Optional<Btf> btf, String datasec) {
        Map<String, BtfType> out = new HashMap<>();
        btf.flatMap(b -> b.datasec(datasec).map(d -> {
            d.entries().forEach(e -> out.putIfAbsent(b.type(e.type()).name(), b.type(e.type())));
            return d;
        }));
        return out;
    }
}

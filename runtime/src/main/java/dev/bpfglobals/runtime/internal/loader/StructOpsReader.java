package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.elf.ElfFile;
import dev.bpfglobals.runtime.elf.ElfRelocation;
import dev.bpfglobals.runtime.elf.ElfSection;
import dev.bpfglobals.runtime.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code .struct_ops} and {@code .struct_ops.link}, as libbpf's {@code init_struct_ops_maps}
 * and {@code bpf_object__collect_st_ops_relos} do: each variable of the section's DATASEC is one
 * struct_ops map whose value is the variable's struct, and each relocation in the section points
 * one function-pointer member at a program of this object ({@code .init = (void *)my_init}).
 */
final class StructOpsReader {

    private StructOpsReader() {
    }

    static List<StructOpsImage> read(ElfFile elf, Optional<Btf> btf, List<ProgramImage> programs) {
        List<StructOpsImage> out = new ArrayList<>();
        for (ElfSection section : elf.sections()) {
            String bare = section.name().startsWith("?") ? section.name().substring(1) : section.name();
            if (!bare.equals(StructOpsImage.SECTION) && !bare.equals(StructOpsImage.LINK_SECTION)) {
                continue;
            }
            if (!bare.equals(section.name())) {
                throw new ObjectFormatException("section '" + section.name() + "': struct_ops maps that are not created by "
                        + "default ('?') are not supported yet; drop the '?'");
            }
            if (btf.isEmpty()) {
                throw new ObjectFormatException("section " + section.name() + " declares struct_ops maps, but the object has no "
                        + ".BTF to describe their structs; compile with -g");
            }
            out.addAll(maps(elf, btf.get(), section, programs));
        }
        return out;
    }

    private static List<StructOpsImage> maps(ElfFile elf, Btf btf, ElfSection section, List<ProgramImage> programs) {
        BtfType.Datasec datasec = btf.datasec(section.name()).orElseThrow(() -> new ObjectFormatException("section "
                + section.name() + " has no DATASEC in the object's BTF to say which structs it holds"));
        byte[] contents = elf.contents(section, 0);
        List<BtfType.VarSecinfo> entries = datasec.entries();
        List<Map<Integer, String>> slots = new ArrayList<>();
        entries.forEach(e -> slots.add(new HashMap<>()));
        for (ElfSection rel : elf.relocationSectionsFor(section)) {
            for (ElfRelocation relocation : elf.relocations(rel)) {
                int index = owner(entries, relocation.offset(), section);
                BtfType.Var var = btf.type(entries.get(index).type(), BtfType.Var.class);
                BtfType.Struct struct = btf.type(btf.resolve(var.type()), BtfType.Struct.class);
                long at = (relocation.offset() - entries.get(index).offset()) * 8;
                int member = memberAt(struct, at);
                if (member < 0) {
                    throw new ObjectFormatException("struct_ops map '" + var.name() + "': a relocation at byte " + at / 8
                            + " of struct " + struct.name() + " starts no member");
                }
                String memberName = struct.members().get(member).name();
                if (!isFunctionPointer(btf, struct.members().get(member).type())) {
                    throw new ObjectFormatException("struct_ops map '" + var.name() + "': member '" + memberName + "' of struct "
                            + struct.name() + " is not a function pointer, yet it is set to the address of '"
                            + elf.symbols().get(relocation.symbol()).name() + "'");
                }
                slots.get(index).put(member, program(elf, relocation, var.name(), memberName, programs));
            }
        }
        List<StructOpsImage> maps = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BtfType.VarSecinfo entry = entries.get(i);
            if (!(btf.type(entry.type()) instanceof BtfType.Var var)) {
                throw new ObjectFormatException("section " + section.name() + ": DATASEC entry " + i + " is not a variable");
            }
            int typeId = btf.resolve(var.type());
            if (!(btf.type(typeId) instanceof BtfType.Struct struct) || struct.name().isEmpty()) {
                throw new ObjectFormatException("struct_ops map '" + var.name() + "' in " + section.name() + " is not a variable "
                        + "of a named struct type (e.g. struct tcp_congestion_ops)");
            }
            if ((long) entry.offset() + struct.size() > contents.length) {
                throw new ObjectFormatException("struct_ops map '" + var.name() + "' ends past the end of section " + section.name());
            }
            for (BtfType.Member member : struct.members()) {
                // Each member is copied into the kernel's value at load: one past the struct's end is malformed BTF.
                long size = btf.sizeOf(member.type());
                if (member.bitOffset() % 8 != 0 || member.bitOffset() / 8 + size > struct.size()) {
                    throw new ObjectFormatException("struct_ops map '" + var.name() + "': member '" + member.name() + "' of struct "
                            + struct.name() + " (" + size + " bytes at bit " + member.bitOffset() + ") does not lie inside its "
                            + struct.size() + " bytes");
                }
            }
            byte[] data = Arrays.copyOfRange(contents, entry.offset(), entry.offset() + struct.size());
            maps.add(new StructOpsImage(var.name(), section.name(), section.name().equals(StructOpsImage.LINK_SECTION), typeId,
                    struct.name(), data, slots.get(i)));
        }
        return maps;
    }

    /** The program a function-pointer member is set to: a function in a {@code SEC("struct_ops/...")} of this object. */
    private static String program(ElfFile elf, ElfRelocation relocation, String map, String member, List<ProgramImage> programs) {
        ElfSymbol symbol = elf.symbols().get(relocation.symbol());
        String what = symbol.isSection() ? "a static function of section " + elf.section(symbol.sectionIndex()).name()
                : "'" + symbol.name() + "'";
        ProgramImage program = symbol.isFunction()
                ? programs.stream().filter(p -> p.name().equals(symbol.name())).findFirst().orElse(null) : null;
        if (program == null) {
            throw new ObjectFormatException("struct_ops map '" + map + "': member '" + member + "' is set to " + what
                    + ", which is not a program of this object; point it at a function in SEC(\"struct_ops/...\")");
        }
        if (program.type() != ProgramType.STRUCT_OPS) {
            throw new ObjectFormatException("struct_ops map '" + map + "': member '" + member + "' is set to program '"
                    + program.name() + "' of section '" + program.section() + "', which is not a struct_ops program; "
                    + "declare it in SEC(\"struct_ops/...\")");
        }
        return program.name();
    }

    /** The index of the DATASEC entry holding byte {@code offset} of the section. */
    private static int owner(List<BtfType.VarSecinfo> entries, long offset, ElfSection section) {
        for (int i = 0; i < entries.size(); i++) {
            BtfType.VarSecinfo entry = entries.get(i);
            if (entry.offset() <= offset && offset < (long) entry.offset() + entry.size()) {
                return i;
            }
        }
        throw new ObjectFormatException("section " + section.name() + " has a relocation at byte " + offset
                + ", outside every struct_ops variable");
    }

    private static int memberAt(BtfType.Struct struct, long bitOffset) {
        for (int i = 0; i < struct.members().size(); i++) {
            if (struct.members().get(i).bitOffset() == bitOffset) {
                return i;
            }
        }
        return -1;
    }

    static boolean isFunctionPointer(Btf btf, int type) {
        return btf.type(btf.resolve(type)) instanceof BtfType.Ptr pointer
                && btf.type(btf.resolve(pointer.type())) instanceof BtfType.FuncProto;
    }
}

package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.BtfExt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves bpf-to-bpf calls the way the kernel wants them: every function a program reaches
 * (directly or through other functions, by call or by address as a callback) is appended once after
 * the program, and each {@code call} and {@code ld_imm64} of a function gets the distance to its
 * callee. libbpf does the same, which is why a subprogram shared by two programs is loaded twice.
 */
final class ProgramLinker {

    private record Key(String section, int start) {
    }

    private final Map<Key, ProgramImage> functions = new HashMap<>();

    ProgramLinker(ObjectImage object) {
        object.programs().forEach(p -> functions.put(new Key(p.section(), p.sectionOffset()), p));
        object.subprograms().forEach(p -> functions.put(new Key(p.section(), p.sectionOffset()), p));
    }

    LinkedProgram link(ProgramImage entry) {
        List<ProgramImage> order = new ArrayList<>();
        Map<ProgramImage, Integer> starts = new HashMap<>();
        order.add(entry);
        starts.put(entry, 0);
        int total = entry.instructionCount();
        for (int i = 0; i < order.size(); i++) {
            for (Relocation reference : order.get(i).relocations()) {
                if (isCode(reference)) {
                    ProgramImage callee = callee(entry, order.get(i), reference);
                    if (!starts.containsKey(callee)) {
                        starts.put(callee, total);
                        order.add(callee);
                        total += callee.instructionCount();
                    }
                }
            }
        }
        long[] insns = new long[total];
        List<Relocation> remaining = new ArrayList<>();
        List<BtfExt.FuncInfo> funcInfo = new ArrayList<>();
        List<BtfExt.LineInfo> lineInfo = new ArrayList<>();
        List<BtfExt.CoreRelocation> core = new ArrayList<>();
        for (ProgramImage function : order) {
            int base = starts.get(function);
            System.arraycopy(function.instructions(), 0, insns, base, function.instructionCount());
            for (Relocation reference : function.relocations()) {
                int at = base + reference.instruction();
                if (isCode(reference)) {
                    int distance = starts.get(callee(entry, function, reference)) - at - 1;
                    long insn = Instructions.withImm(insns[at], distance);
                    insns[at] = reference.kind() == Relocation.Kind.CALL ? insn : Instructions.withSrc(insn, Instructions.PSEUDO_FUNC);
                } else {
                    remaining.add(reference.at(at));
                }
            }
            BtfExt ext = function.btfExt();
            ext.funcInfo().forEach(f -> funcInfo.add(new BtfExt.FuncInfo(f.section(), base + f.instruction(), f.typeId())));
            ext.lineInfo().forEach(l -> lineInfo.add(new BtfExt.LineInfo(l.section(), base + l.instruction(), l.fileName(),
                    l.line(), l.lineNumber(), l.column())));
            ext.coreRelocations().forEach(c -> core.add(new BtfExt.CoreRelocation(c.section(), base + c.instruction(), c.typeId(),
                    c.accessString(), c.kind())));
        }
        return new LinkedProgram(entry, List.copyOf(order), insns, remaining, funcInfo, lineInfo, core);
    }

    private static boolean isCode(Relocation reference) {
        return reference.kind() == Relocation.Kind.CALL || reference.kind() == Relocation.Kind.FUNCTION_ADDRESS;
    }

    private ProgramImage callee(ProgramImage entry, ProgramImage caller, Relocation reference) {
        ProgramImage callee = functions.get(new Key(reference.section(), (int) reference.offset()));
        if (callee == null) {
            throw new IllegalStateException("program '" + entry.name() + "': function '" + caller.name() + "' calls '"
                    + reference.symbol() + "' in section " + reference.section() + ", which this object does not hold");
        }
        return callee;
    }
}

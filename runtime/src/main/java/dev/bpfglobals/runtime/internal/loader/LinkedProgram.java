package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.BtfExt;
import java.util.List;

/**
 * A program with the subprograms it calls appended after it, as the kernel takes it: calls and
 * function addresses point at their callee, and the remaining references (maps, global data) and
 * the {@code .BTF.ext} records are indexed from the program's first instruction.
 *
 * @param spec         the entry program
 * @param functions    the entry program and every function it reaches, in the order they are laid out
 * @param instructions every instruction, the entry's first
 * @param relocations  the references still to resolve against maps
 * @param funcInfo     one record per function in {@code instructions}
 * @param lineInfo     the source lines of {@code instructions}
 * @param coreRelocations the CO-RE relocations of every function included
 */
record LinkedProgram(ProgramImage spec, List<ProgramImage> functions, long[] instructions, List<Relocation> relocations, List<BtfExt.FuncInfo> funcInfo,
        List<BtfExt.LineInfo> lineInfo, List<BtfExt.CoreRelocation> coreRelocations) {
}

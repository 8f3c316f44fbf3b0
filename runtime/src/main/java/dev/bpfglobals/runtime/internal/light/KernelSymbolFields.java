package dev.bpfglobals.runtime.internal.light;

import java.nio.charset.StandardCharsets;

/**
 * The loader code for a program's kernel symbols ({@link KernelSymbolRef}), as gen_loader emits it:
 * before the load, {@code bpf_btf_find_by_name_kind} for each, its id written into the
 * instruction in the blob and a module's BTF descriptor where the kernel reads it (a kfunc call's
 * {@code fd_array} slot and offset, a variable's second {@code ld_imm64} half); after the load,
 * those descriptors closed, and zeroed so that the failure path closes only what is still open.
 */
final class KernelSymbolFields {

    private final LoaderAsm asm;
    private final LoaderBlob blob;
    private final int fdArray;

    KernelSymbolFields(LoaderAsm asm, LoaderBlob blob, int fdArray) {
        this.asm = asm;
        this.blob = blob;
        this.fdArray = fdArray;
    }

    /**
     * Emits the lookup of {@code symbol} (a jump to {@code fail} if the kernel has none) and the
     * stores of its result into the instructions at {@code insns}; a kfunc's module descriptor goes
     * to {@code fd_array[slot]}.
     */
    void emitResolve(int insns, KernelSymbolRef symbol, int slot, String fail, String label) {
        byte[] name = (symbol.name() + "\0").getBytes(StandardCharsets.US_ASCII);
        asm.mapValue(LoaderAsm.R1, 0, blob.put(name));
        asm.movImm(LoaderAsm.R2, name.length).movImm(LoaderAsm.R3, symbol.btfKind()).movImm(LoaderAsm.R4, 0);
        asm.call(LoaderAsm.HELPER_BTF_FIND_BY_NAME_KIND);
        asm.jumpIfSignedBelow(LoaderAsm.R0, 0, fail);
        int instruction = insns + 8 * symbol.instruction();
        asm.mapValue(LoaderAsm.R1, 0, instruction).storeWord(LoaderAsm.R1, 4, LoaderAsm.R0); // imm = BTF id
        asm.rshImm(LoaderAsm.R0, 32); // the module's BTF descriptor, 0 for vmlinux
        if (symbol.call()) {
            // vmlinux's kfuncs keep offset 0; a module's names the fd_array slot holding its BTF.
            asm.jumpIfEqual(LoaderAsm.R0, 0, label);
            asm.mapValue(LoaderAsm.R2, 0, fdArray + 4 * slot).storeWord(LoaderAsm.R2, 0, LoaderAsm.R0);
            asm.movImm(LoaderAsm.R0, slot).storeHalf(LoaderAsm.R1, 2, LoaderAsm.R0);
            asm.label(label);
        } else {
            asm.storeWord(LoaderAsm.R1, 12, LoaderAsm.R0); // the second half's imm
        }
    }

    /** Where the module descriptor of {@code symbol} is kept while the program loads. */
    int descriptorAt(int insns, KernelSymbolRef symbol, int slot) {
        return symbol.call() ? fdArray + 4 * slot : insns + 8 * (symbol.instruction() + 1) + 4;
    }

    /** {@code if (blob[offset] > 0) { close(blob[offset]); blob[offset] = 0; }} (r0 to r5 clobbered, r6 to r9 kept). */
    void emitClose(int offset, String skip) {
        asm.mapValue(LoaderAsm.R1, 0, offset).loadWord(LoaderAsm.R1, LoaderAsm.R1, 0);
        asm.jumpIfSignedAtMost(LoaderAsm.R1, 0, skip);
        asm.call(LoaderAsm.HELPER_SYS_CLOSE);
        asm.mapValue(LoaderAsm.R1, 0, offset).movImm(LoaderAsm.R2, 0).storeWord(LoaderAsm.R1, 0, LoaderAsm.R2);
        asm.label(skip);
    }
}

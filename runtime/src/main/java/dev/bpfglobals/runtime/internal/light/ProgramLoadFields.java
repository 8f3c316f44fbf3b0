package dev.bpfglobals.runtime.internal.light;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code BPF_PROG_LOAD} fields a program's BTF brings, as gen_loader fills them: the object's
 * BTF as {@code prog_btf_fd}, its func and line info, its CO-RE relocations (applied by the kernel
 * at load, 5.17 and later, against the running kernel's BTF) and the attach BTF id, which the
 * loader finds by name with {@code bpf_btf_find_by_name_kind} when it runs. The records go into the
 * blob; the program writes their kernel addresses, and the descriptors, just before the load.
 */
final class ProgramLoadFields {

    /** {@code offsetofend(union bpf_attr, core_relo_rec_size)}, the size gen_loader hands the kernel. */
    static final int ATTR_SIZE = 140;

    private static final int PROG_BTF_FD = 72;
    private static final int FUNC_INFO_REC_SIZE = 76;
    private static final int FUNC_INFO = 80;
    private static final int FUNC_INFO_CNT = 88;
    private static final int LINE_INFO_REC_SIZE = 92;
    private static final int LINE_INFO = 96;
    private static final int LINE_INFO_CNT = 104;
    private static final int ATTACH_BTF_ID = 108;
    private static final int ATTACH_BTF_OBJ_FD = 112;
    private static final int CORE_RELO_CNT = 116;
    private static final int CORE_RELOS = 128;
    private static final int CORE_RELO_REC_SIZE = 136;

    private final LoaderAsm asm;
    private final LoaderBlob blob;

    ProgramLoadFields(LoaderAsm asm, LoaderBlob blob) {
        this.asm = asm;
        this.blob = blob;
    }

    /** Whether {@code program} hands the kernel anything of the plan's BTF. */
    static boolean usesBtf(LightProgram program) {
        return program.funcInfo().length > 0 || program.coreRelos().length > 0;
    }

    /** Sets the records' counts and sizes in {@code attr}, the fields known when the loader is built. */
    static void putCounts(LoaderBlob.Attr attr, LightProgram program) {
        int[] funcInfo = program.funcInfo();
        if (funcInfo.length > 0) {
            attr.putInt(FUNC_INFO_REC_SIZE, 8).putInt(FUNC_INFO_CNT, funcInfo.length / 2);
            int[] lineInfo = program.lineInfo();
            if (lineInfo.length > 0) {
                attr.putInt(LINE_INFO_REC_SIZE, 16).putInt(LINE_INFO_CNT, lineInfo.length / 4);
            }
        }
        int[] core = program.coreRelos();
        if (core.length > 0) {
            attr.putInt(CORE_RELO_REC_SIZE, 16).putInt(CORE_RELO_CNT, core.length / 4);
        }
    }

    /**
     * Stores the records in the blob and emits the code that points {@code blob[attr]} at them and
     * at the BTF descriptor in the context's {@code btfSlot}.
     */
    void emitRecords(int attr, LightProgram program, int btfSlot) {
        int[] funcInfo = program.funcInfo();
        if (funcInfo.length > 0) {
            storePointer(attr, FUNC_INFO, blob.put(words(funcInfo)));
            int[] lineInfo = program.lineInfo();
            if (lineInfo.length > 0) {
                storePointer(attr, LINE_INFO, blob.put(words(lineInfo)));
            }
        }
        int[] core = program.coreRelos();
        if (core.length > 0) {
            storePointer(attr, CORE_RELOS, blob.put(words(core)));
        }
        asm.loadWord(LoaderAsm.R0, LoaderAsm.R6, btfSlot);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeWord(LoaderAsm.R1, PROG_BTF_FD, LoaderAsm.R0);
    }

    /**
     * Emits {@code r0 = bpf_btf_find_by_name_kind(name, len, kind, 0)}, a jump to {@code fail} if it
     * failed, and the stores of its result into {@code blob[attr]}: the type id from the low 32 bits,
     * the module's BTF descriptor (0 for vmlinux) from the high 32.
     */
    void emitFindTarget(int attr, AttachTarget target, String fail) {
        byte[] name = (target.name() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        asm.mapValue(LoaderAsm.R1, 0, blob.put(name));
        asm.movImm(LoaderAsm.R2, name.length).movImm(LoaderAsm.R3, target.btfKind()).movImm(LoaderAsm.R4, 0);
        asm.call(LoaderAsm.HELPER_BTF_FIND_BY_NAME_KIND);
        asm.jumpIfSignedBelow(LoaderAsm.R0, 0, fail);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeWord(LoaderAsm.R1, ATTACH_BTF_ID, LoaderAsm.R0);
        asm.rshImm(LoaderAsm.R0, 32).storeWord(LoaderAsm.R1, ATTACH_BTF_OBJ_FD, LoaderAsm.R0);
    }

    /**
     * After the load, whatever it returned (kept in r0): closes the module BTF descriptor the lookup
     * opened, if it opened one. The program holds its own reference to the module's BTF.
     */
    void emitCloseTargetModule(int attr, String skip) {
        asm.mov(LoaderAsm.R7, LoaderAsm.R0);
        asm.mapValue(LoaderAsm.R1, 0, attr).loadWord(LoaderAsm.R1, LoaderAsm.R1, ATTACH_BTF_OBJ_FD);
        asm.jumpIfSignedAtMost(LoaderAsm.R1, 0, skip);
        asm.call(LoaderAsm.HELPER_SYS_CLOSE);
        asm.label(skip);
        asm.mov(LoaderAsm.R0, LoaderAsm.R7);
    }

    private void storePointer(int attr, int field, int target) {
        asm.mapValue(LoaderAsm.R0, 0, target);
        asm.mapValue(LoaderAsm.R1, 0, attr).storeDouble(LoaderAsm.R1, field, LoaderAsm.R0);
    }

    private static byte[] words(int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }
}

package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfFd;

/**
 * What BPF_PROG_LOAD takes for one program.
 *
 * @param type         {@code enum bpf_prog_type}
 * @param instructions the relocated instructions
 * @param license      the object's license string
 * @param name         the program's name (the kernel keeps 15 characters)
 * @param btf          the object's BTF, null for none; func and line info are passed only with it
 * @param funcInfo     {@code struct bpf_func_info} records flattened: instruction, FUNC type id, ...
 * @param lineInfo     {@code struct bpf_line_info} records flattened: instruction, file name offset,
 *                     line offset, {@code line << 10 | column}, ...
 * @param expectedAttachType {@code enum bpf_attach_type} the program is verified for (0 where none is named)
 * @param attachBtfId  the kernel BTF type a TRACING program attaches to (0 for other programs)
 * @param attachBtfObject the kernel module's BTF object {@code attachBtfId} is an id of
 *                     ({@code attach_btf_obj_fd}), null for vmlinux's
 * @param fdArray      {@code fd_array}: the module BTF objects kfunc calls name by index in their
 *                     offset; entry 0 is null (offset 0 means vmlinux), the list empty where none is named
 * @param flags        {@code prog_flags}, e.g. {@link #SLEEPABLE}
 */
public record ProgramLoad(int type, long[] instructions, String license, String name, BpfFd btf, int[] funcInfo,
        int[] lineInfo, int expectedAttachType, int attachBtfId, BpfFd attachBtfObject, java.util.List<BpfFd> fdArray,
        int flags) {

    /** {@code BPF_F_SLEEPABLE}: the program may sleep (fault in user memory), as lsm.s/ and uprobe.multi.s/ programs may. */
    public static final int SLEEPABLE = 1 << 4;

    /** A program loaded without {@code prog_flags}. */
    public ProgramLoad(int type, long[] instructions, String license, String name, BpfFd btf, int[] funcInfo,
            int[] lineInfo, int expectedAttachType, int attachBtfId, BpfFd attachBtfObject, java.util.List<BpfFd> fdArray) {
        this(type, instructions, license, name, btf, funcInfo, lineInfo, expectedAttachType, attachBtfId, attachBtfObject,
                fdArray, 0);
    }

    /** A program verified for no particular attach point. */
    public ProgramLoad(int type, long[] instructions, String license, String name, BpfFd btf, int[] funcInfo, int[] lineInfo) {
        this(type, instructions, license, name, btf, funcInfo, lineInfo, 0, 0, null, java.util.List.of());
    }

    /** {@code sizeof(struct bpf_func_info)}. */
    static final int FUNC_INFO_SIZE = 8;
    /** {@code sizeof(struct bpf_line_info)}. */
    static final int LINE_INFO_SIZE = 16;
}

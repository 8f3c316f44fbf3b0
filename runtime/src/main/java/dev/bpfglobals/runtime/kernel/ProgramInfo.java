package dev.bpfglobals.runtime.kernel;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info}).
 *
 * @param id            the program's kernel id
 * @param kernelType    {@code enum bpf_prog_type}
 * @param name          the name it was loaded under (up to 15 characters)
 * @param xlatedLength  the size of the verified program in bytes
 * @param btfId         the id of the BTF it was loaded with, 0 for none
 * @param funcInfoCount how many functions the kernel knows by BTF (the program and its subprograms)
 * @param lineInfoCount how many source line records it was loaded with
 */
public record ProgramInfo(int id, int kernelType, String name, int xlatedLength, int btfId, int funcInfoCount,
        int lineInfoCount) {
}

package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The kernel's BTF objects, walked as libbpf's {@code load_module_btfs} walks them to find a
 * module's: {@code BPF_BTF_GET_NEXT_ID} from id 0, {@code BPF_BTF_GET_FD_BY_ID} on each, and
 * {@code BPF_OBJ_GET_INFO_BY_FD} for its name and whether it is the kernel's own (vmlinux or a
 * module's, as opposed to BTF a program loaded). A program loaded against a module's type names
 * that module's BTF object by such an fd.
 */
public final class BtfObjects {

    /** {@code sizeof(struct bpf_btf_info)} up to {@code kernel_btf} (kernel 5.11+). */
    private static final int INFO_SIZE = 32;
    /** The kernel's {@code MODULE_NAME_LEN} bounds module names; 64 bytes hold any. */
    private static final int NAME_SIZE = 64;

    private BtfObjects() {
    }

    /**
     * One kernel BTF object's identity.
     *
     * @param id        its BTF object id
     * @param name      {@code vmlinux}, or the module's name
     * @param kernelBtf whether the kernel made it (vmlinux or a module), not a program's loader
     */
    public record Info(int id, String name, boolean kernelBtf) {
    }

    /** BPF_BTF_GET_NEXT_ID: the next BTF object id after {@code start}, or -1 when there is none. */
    public static int nextId(int start) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, start);
        long result = Sys.bpf(BpfCommand.BPF_BTF_GET_NEXT_ID.number(), attr, Bpf.ATTR_SIZE);
        if (result == -Errno.ENOENT.number()) {
            return -1;
        }
        if (result < 0) {
            throw new BpfException(BpfCommand.BPF_BTF_GET_NEXT_ID, Errno.of((int) -result), "after BTF id " + start);
        }
        return attr.get(ValueLayout.JAVA_INT, 4);
    }

    /**
     * BPF_BTF_GET_FD_BY_ID: a new fd of BTF object {@code id}, or empty where it went away between
     * listing and opening (a module unloaded meanwhile), as libbpf skips it.
     */
    public static Optional<BpfFd> open(int id) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        long result = Sys.bpf(BpfCommand.BPF_BTF_GET_FD_BY_ID.number(), attr, Bpf.ATTR_SIZE);
        if (result == -Errno.ENOENT.number()) {
            return Optional.empty();
        }
        if (result < 0) {
            throw new BpfException(BpfCommand.BPF_BTF_GET_FD_BY_ID, Errno.of((int) -result), "BTF id " + id);
        }
        return Optional.of(BpfFd.adopt((int) result, "BTF object id " + id));
    }

    /** BPF_OBJ_GET_INFO_BY_FD of a BTF object: its id, name and whether the kernel made it. */
    public static Info info(BpfFd btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(NAME_SIZE);
            MemorySegment info = arena.allocate(INFO_SIZE, 8);
            // struct bpf_btf_info: btf (u64) 0, btf_size 8, id 12, name (u64) 16, name_len 24, kernel_btf 28.
            info.set(ValueLayout.JAVA_LONG, 16, name.address());
            info.set(ValueLayout.JAVA_INT, 24, NAME_SIZE);
            Bpf.objInfo(btf, info);
            byte[] bytes = name.toArray(ValueLayout.JAVA_BYTE);
            int length = 0;
            while (length < bytes.length && bytes[length] != 0) {
                length++;
            }
            return new Info(info.get(ValueLayout.JAVA_INT, 12), new String(bytes, 0, length, StandardCharsets.US_ASCII),
                    info.get(ValueLayout.JAVA_INT, 28) != 0);
        }
    }
}

package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * The kernel's BTF objects, walked as libbpf's {@code load_module_btfs} walks them to find a
 * module's: {@code BPF_BTF_GET_NEXT_ID} from id 0, {@code BPF_BTF_GET_FD_BY_ID} on each, and
 * {@code BPF_OBJ_GET_INFO_BY_FD} for its name and whether it is the kernel's own (vmlinux or a
 * module's, as opposed to BTF a program loaded). A program loaded against a module's type names
 * that module's BTF object by such an fd. Also the BTF a loader hands the kernel (BPF_BTF_LOAD),
 * and the raw bytes of a kernel BTF object by id.
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
        return Bpf.nextId(BpfCommand.BPF_BTF_GET_NEXT_ID, start, "after BTF id " + start);
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
            return new Info(info.get(ValueLayout.JAVA_INT, 12), Bpf.cString(name, 0, NAME_SIZE),
                    info.get(ValueLayout.JAVA_INT, 28) != 0);
        }
    }

    /**
     * BPF_BTF_LOAD: the BTF object's fd; a refusal carries the kernel's BTF log. The first attempt
     * goes without a log, as libbpf's does: with a log level the kernel writes a line for every type
     * it checks, and an object built on vmlinux.h has thousands, so a log buffer too small for them
     * fails the load with ENOSPC even for BTF the kernel accepts. Only a refusal is retried with a log.
     */
    public static BpfFd load(byte[] btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, btf);
            long result = load(data, btf.length, MemorySegment.NULL);
            if (result >= 0) {
                return BpfFd.adopt((int) result, "BTF object");
            }
            // Large enough for every type's line of a big object; the kernel keeps the log's tail where it does not fit.
            MemorySegment log = arena.allocate(LOG_SIZE);
            long again = load(data, btf.length, log);
            if (again >= 0) {
                BpfFd.adopt((int) again, "BTF object").close();
            }
            throw new BpfException(BpfCommand.BPF_BTF_LOAD, Errno.of((int) -result),
                    "kernel BTF log: " + log.getString(0).strip());
        }
    }

    private static final int LOG_SIZE = 16 << 20;

    private static long load(MemorySegment data, int size, MemorySegment log) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_LONG, 0, data.address());
        attr.set(ValueLayout.JAVA_INT, 16, size);
        if (log.byteSize() > 0) {
            attr.set(ValueLayout.JAVA_LONG, 8, log.address());
            attr.set(ValueLayout.JAVA_INT, 20, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
        }
        return Sys.bpf(BpfCommand.BPF_BTF_LOAD.number(), attr, Bpf.ATTR_SIZE);
    }

    /**
     * The running kernel's vmlinux BTF as its BTF object holds it: the bytes {@code /sys/kernel/btf/vmlinux}
     * serves, copied out in one {@code BPF_OBJ_GET_INFO_BY_FD} where the file takes a read per 4 KiB
     * page (1,340 for vmlinux's 5.4 MB, 6-8 ms of a cold CO-RE load; libbpf reads the file). The
     * object is found as bpftool finds it: the first kernel BTF named {@code vmlinux} (id 1 on every
     * kernel seen). Empty where this process may not list or open BTF objects (that takes
     * CAP_SYS_ADMIN) or none is vmlinux's: the caller reads the file then.
     */
    public static Optional<byte[]> vmlinux() {
        try {
            for (int id = nextId(0); id > 0; id = nextId(id)) {
                Optional<BpfFd> opened = open(id);
                if (opened.isEmpty()) {
                    continue;
                }
                try (BpfFd btf = opened.get()) {
                    Info info = info(btf);
                    if (info.kernelBtf() && info.name().equals("vmlinux")) {
                        return Optional.of(raw(btf));
                    }
                }
            }
            return Optional.empty();
        } catch (BpfException | UnsupportedOperationException e) {
            return Optional.empty(); // EPERM without CAP_SYS_ADMIN, or no bpf(2) number here: the file says the same
        }
    }

    /** The raw BTF of the kernel BTF object with this id (BPF_BTF_GET_FD_BY_ID, then its info). */
    public static byte[] rawById(int id) {
        MemorySegment attr = Bpf.attr();
        attr.set(ValueLayout.JAVA_INT, 0, id);
        try (BpfFd fd = BpfFd.adopt((int) Bpf.call(BpfCommand.BPF_BTF_GET_FD_BY_ID, attr, "BTF id " + id), "BTF id " + id)) {
            return raw(fd);
        }
    }

    /** The raw BTF of the BTF object {@code btf} (its info, twice: for the size, then the bytes). */
    private static byte[] raw(BpfFd btf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(INFO_SIZE, 8);
            Bpf.objInfo(btf, info);
            int size = info.get(ValueLayout.JAVA_INT, 8);
            MemorySegment data = arena.allocate(Math.max(1, size));
            info.fill((byte) 0);
            info.set(ValueLayout.JAVA_LONG, 0, data.address());
            info.set(ValueLayout.JAVA_INT, 8, size);
            Bpf.objInfo(btf, info);
            return data.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}

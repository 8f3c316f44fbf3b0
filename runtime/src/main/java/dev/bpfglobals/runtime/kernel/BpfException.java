package dev.bpfglobals.runtime.kernel;

/**
 * A bpf(2) call the kernel refused: which command, the errno by name, and what to do about it.
 */
public class BpfException extends RuntimeException {

    /** The command the kernel refused. */
    private final BpfCommand command;
    /** Why the kernel refused it. */
    private final Errno errno;

    /**
     * A refusal of {@code command} with {@code errno}, described for the user by {@code context}.
     *
     * @param command the command the kernel refused
     * @param errno the kernel's errno
     * @param context what the call was about (the map, program or path), or empty
     */
    public BpfException(BpfCommand command, Errno errno, String context) {
        super(command + " failed with " + errno + (context.isEmpty() ? "" : " (" + context + ")") + hint(command, errno));
        this.command = command;
        this.errno = errno;
    }

    /**
     * A refusal with a hint the caller knows better than the generic one for this errno.
     *
     * @param command the command the kernel refused
     * @param errno the kernel's errno
     * @param context what the call was about (the map, program or path)
     * @param hint what to do about it, in place of the generic hint for {@code errno}
     */
    public BpfException(BpfCommand command, Errno errno, String context, String hint) {
        super(command + " failed with " + errno + " (" + context + "): " + hint);
        this.command = command;
        this.errno = errno;
    }

    /** {@return the command the kernel refused} */
    public BpfCommand command() {
        return command;
    }

    /** {@return why, as the kernel's errno} */
    public Errno errno() {
        return errno;
    }

    private static String hint(BpfCommand command, Errno errno) {
        String hint = switch (errno) {
            // Pinning outside a bpffs directory fails with EPERM (or ENOENT where the file system
            // cannot create entries at all, as sysfs where bpffs is not mounted), not with a clearer errno.
            // bpffs also answers EPERM for any name with a '.' in it (reserved there), even to root.
            case EPERM -> switch (command) {
                case BPF_OBJ_PIN -> "pins can only be made on a BPF filesystem (mount one: mount -t bpf bpf /sys/fs/bpf),"
                        + " by a process with CAP_BPF, under names without '.'";
                case BPF_OBJ_GET -> "this process lacks CAP_BPF (or root), or the path has a name with a '.', which a BPF"
                        + " filesystem refuses";
                // An fd without FMODE_CAN_WRITE / FMODE_CAN_READ (kernel/bpf/syscall.c, map_get_sys_perms).
                case BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM -> "this fd may not write the map: it was opened"
                        + " read-only (BPF_F_RDONLY), or the map is frozen (BPF_MAP_FREEZE, as libbpf does to .rodata)";
                case BPF_MAP_LOOKUP_ELEM -> "this fd may not read the map: it was opened write-only (BPF_F_WRONLY)";
                default -> "this process lacks CAP_BPF (or root); run as root or grant CAP_BPF and CAP_PERFMON";
            };
            // Not a read-only map fd: that is EPERM (above).
            case EACCES -> command == BpfCommand.BPF_PROG_LOAD
                    ? "the verifier refused the program; its log says why"
                    : "permission denied (for a pinned path: the file's permissions)";
            case E2BIG -> command == BpfCommand.BPF_MAP_CREATE
                    ? "value too large: per-CPU array values are limited to 32768 bytes"
                    : "an argument is larger than the kernel accepts";
            case ENOENT -> switch (command) {
                case BPF_OBJ_GET -> "nothing is pinned at that path (is bpffs mounted at /sys/fs/bpf?)";
                case BPF_OBJ_PIN -> "the directory does not exist or is not a BPF filesystem"
                        + " (mount one: mount -t bpf bpf /sys/fs/bpf)";
                default -> "no such map, program or element";
            };
            case EBADF -> "the file descriptor is not open, or not a BPF object of the expected kind";
            case EINVAL -> "the kernel rejected an argument; on kernel " + System.getProperty("os.version")
                    + " a flag or map type may not be supported";
            case ENOMEM -> "the kernel could not allocate memory (memlock limit or map too large)";
            case ENOSYS -> "this kernel has no bpf(2)";
            case ENXIO -> command == BpfCommand.BPF_PROG_TEST_RUN
                    ? "the CPU asked for is not online" : "no such device or address";
            default -> "";
        };
        return hint.isEmpty() ? "" : ": " + hint;
    }
}

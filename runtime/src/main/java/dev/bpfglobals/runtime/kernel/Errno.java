package dev.bpfglobals.runtime.kernel;

import java.util.Arrays;

/** The errno values the kernel's bpf(2) returns, by their Linux names and numbers. */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12), EACCES(13),
    EFAULT(14), EBUSY(16), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20), EINVAL(22), ENFILE(23), EMFILE(24),
    ENOSPC(28), ERANGE(34), ENOSYS(38), ELOOP(40), EOPNOTSUPP(95), ENOTSUPP(524), UNKNOWN(-1);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The Linux errno number. */
    public int number() {
        return number;
    }

    /** The constant for {@code number}, or {@link #UNKNOWN}. */
    public static Errno of(int number) {
        return Arrays.stream(values()).filter(e -> e.number == number).findFirst().orElse(UNKNOWN);
    }
}

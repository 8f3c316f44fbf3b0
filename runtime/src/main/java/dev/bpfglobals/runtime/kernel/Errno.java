package dev.bpfglobals.runtime.kernel;

import java.util.Arrays;

/** The errno values the kernel's bpf(2) returns, by their Linux names and numbers. */
public enum Errno {
    /** Operation not permitted: typically a missing capability (CAP_BPF, CAP_NET_ADMIN) or a locked-down kernel. */
    EPERM(1),
    /** No such entry: a missing key, pinned path, id or kernel symbol. */
    ENOENT(2),
    /** No such process. */
    ESRCH(3),
    /** The call was interrupted by a signal. */
    EINTR(4),
    /** Input/output error. */
    EIO(5),
    /** No such device or address: e.g. a test run on a CPU that is not online. */
    ENXIO(6),
    /** Too big: an attribute, a key or a value larger than the kernel accepts, or a full map. */
    E2BIG(7),
    /** Bad file descriptor: closed, or not the kind of object the command needs. */
    EBADF(9),
    /** Try again: a transient condition; the same call may succeed later. */
    EAGAIN(11),
    /** Out of memory, or over the memlock limit on kernels that charge BPF memory to it. */
    ENOMEM(12),
    /** Permission denied: the verifier refused a program, or the map was opened with the wrong access. */
    EACCES(13),
    /** Bad address passed to the kernel. */
    EFAULT(14),
    /** Busy: e.g. a hook that already holds a program exclusively. */
    EBUSY(16),
    /** Already exists: a key on a no-overwrite update, a pinned path, or an attachment already in place. */
    EEXIST(17),
    /** Cross-device link. */
    EXDEV(18),
    /** No such device: e.g. a network interface that went away. */
    ENODEV(19),
    /** Not a directory: e.g. a path with a file where a directory should be. */
    ENOTDIR(20),
    /** Invalid argument: the kernel does not accept the command's attributes (often a feature it lacks). */
    EINVAL(22),
    /** The system's file table is full. */
    ENFILE(23),
    /** This process has too many open file descriptors. */
    EMFILE(24),
    /** No space left: e.g. a verifier log that did not fit its buffer. */
    ENOSPC(28),
    /** Out of range. */
    ERANGE(34),
    /** The bpf(2) system call (or the command) is not implemented by this kernel. */
    ENOSYS(38),
    /** Too many levels of symbolic links, e.g. in a pin path. */
    ELOOP(40),
    /** Operation not supported by this kind of object or this kernel. */
    EOPNOTSUPP(95),
    /** Package not installed: the kernel lacks the crypto a signature names (e.g. ECDSA built out). */
    ENOPKG(65),
    /** Bad message: a signature the kernel's PKCS#7 parser cannot read. */
    EBADMSG(74),
    /** Required key not available: no key in the keyring matches a signature's signer. */
    ENOKEY(126),
    /** Key has expired. */
    EKEYEXPIRED(127),
    /** Key has been revoked. */
    EKEYREVOKED(128),
    /** Key was rejected: a signature that does not match its data under the signer's key. */
    EKEYREJECTED(129),
    /** Not supported (the kernel-internal code bpf(2) lets out): e.g. no BPF trampolines on this architecture. */
    ENOTSUPP(524),
    /** Any errno number not listed here. */
    UNKNOWN(-1);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** {@return the Linux errno number} */
    public int number() {
        return number;
    }

    /**
     * The constant for {@code number}, or {@link #UNKNOWN}.
     *
     * @param number a positive errno number, as bpf(2) sets it (the negated return of a raw call)
     * @return the constant of that number
     */
    public static Errno of(int number) {
        return Arrays.stream(values()).filter(e -> e.number == number).findFirst().orElse(UNKNOWN);
    }
}

package dev.bpfglobals.runtime.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open kernel file descriptor (a BPF map, program, link or BTF object, or the perf event a
 * program runs on) together with the right to close it.
 *
 * <p><b>The ownership rule.</b> Exactly one owner closes a {@code BpfFd}. Whoever creates or opens
 * one (a creating syscall returns a new {@code BpfFd}) owns it until it hands it over explicitly,
 * e.g. with {@code BpfMap.adopt(fd)}, after which it must not close it. {@link #dup()} makes a
 * second descriptor with a second owner, for when two objects must each be able to close theirs.
 * An object that lends out its {@code BpfFd} (such as {@code BpfMap.fd()}) keeps owning it.
 *
 * <p>Many threads may use one descriptor while one of them closes it: each use is bracketed by
 * {@link #acquire()} and {@link #release()} (the runtime's syscall wrappers do this), and the
 * number is closed when it has been {@linkplain #close() closed} and its last user has released it.
 * So a concurrent close never pulls the number from under a syscall in flight (where the kernel
 * could already have given it to another file), and a use costs one compare-and-set and one
 * decrement, no lock. {@link #close()} is idempotent; every use after it throws
 * {@link IllegalStateException} naming what was closed.
 */
public final class BpfFd implements AutoCloseable {

    /** Set once the owner has closed; the bits below count the users in flight. */
    private static final int CLOSED = 1 << 30;

    private final int fd;
    private final String what;
    private final AtomicInteger state = new AtomicInteger();

    private BpfFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /**
     * Takes ownership of the open descriptor {@code fd}, described as {@code what} in errors: for
     * the result of a creating syscall, or a number another library hands over for good.
     *
     * @param fd an open descriptor, from now on the result's to close
     * @param what what the descriptor is, e.g. {@code "map 'counters'"}, as errors will name it
     * @return the new owner of {@code fd}
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public static BpfFd adopt(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd + " (" + what + ")");
        }
        return new BpfFd(fd, what);
    }

    /**
     * A close-on-exec duplicate of a descriptor that stays its caller's (e.g. one from another
     * loader): the result is a new, separately owned descriptor.
     *
     * @param fd an open descriptor, which stays the caller's
     * @param what what the descriptor is, as errors will name it
     * @return the owner of the duplicate
     * @throws IllegalArgumentException if {@code fd} cannot be duplicated (not open), naming the errno
     */
    public static BpfFd duplicateOf(int fd, String what) {
        int duplicate = FdCalls.dup(fd);
        if (duplicate < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " cannot be duplicated: " + Errno.of(-duplicate));
        }
        return new BpfFd(duplicate, what);
    }

    /**
     * A second descriptor of the same kernel object, with a second owner.
     *
     * @return the new owner, to close independently of this one
     */
    public BpfFd dup() {
        int open = acquire();
        try {
            return duplicateOf(open, what);
        } finally {
            release();
        }
    }

    /**
     * The descriptor's number, for interop (handing it to code outside this library) and for
     * building syscall attributes. It stays valid only while this owner keeps it open: a user that
     * may race with {@link #close()} brackets its use with {@link #acquire()} and {@link #release()}.
     *
     * @return the descriptor's number
     * @throws IllegalStateException if it is closed
     */
    public int value() {
        if (isClosed()) {
            throw closed();
        }
        return fd;
    }

    /**
     * The number, for one use that must end with {@link #release()}; a {@link #close()} meanwhile
     * waits for that release before it closes the number.
     *
     * @return the descriptor's number, open until the matching {@link #release()}
     * @throws IllegalStateException if it is closed
     */
    public int acquire() {
        for (;;) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                throw closed();
            }
            if (state.compareAndSet(current, current + 1)) {
                return fd;
            }
        }
    }

    /** Ends a use begun with {@link #acquire()}; the last use after a close closes the number. */
    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            closeNumber();
        }
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** {@return what this descriptor is, as errors name it} */
    public String what() {
        return what;
    }

    /** Closes now if no use is in flight, else when the last one ends; later calls do nothing. */
    @Override
    public void close() {
        for (;;) {
            int current = state.get();
            if ((current & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(current, current | CLOSED)) {
                if (current == 0) {
                    closeNumber();
                }
                return;
            }
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException(what + " is closed");
    }

    /** A failure to close is a bug worth seeing, not hiding. */
    private void closeNumber() {
        int result = FdCalls.close(fd);
        if (result < 0) {
            throw new IllegalStateException("close(" + fd + ") of " + what + " failed with " + Errno.of(-result));
        }
    }

    @Override
    public String toString() {
        return what + " (fd " + fd + (isClosed() ? ", closed)" : ")");
    }
}

package dev.bpfglobals.runtime.internal;

/**
 * A kernel file descriptor with exactly one owner: closed once, on the first {@link #close()};
 * every use after that fails with {@link IllegalStateException} naming what was closed.
 */
public final class OwnedFd implements AutoCloseable {

    private final String what;
    private int fd;

    /** Takes ownership of {@code fd}, described as {@code what} in errors. */
    public OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** A close-on-exec duplicate of a descriptor the caller keeps owning. */
    public static OwnedFd duplicate(int fd, String what) {
        int duplicate = Sys.dup(fd);
        if (duplicate < 0) {
            throw new IllegalArgumentException("file descriptor " + fd + " cannot be duplicated: "
                    + dev.bpfglobals.runtime.Errno.of(-duplicate));
        }
        return new OwnedFd(duplicate, what);
    }

    /** The open descriptor. */
    public synchronized int get() {
        if (fd < 0) {
            throw new IllegalStateException(what + " is closed");
        }
        return fd;
    }

    /** Closes the descriptor; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            Bpf.close(closing);
        }
    }
}

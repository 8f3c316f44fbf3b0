package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/** Attaches SOCKET_FILTER programs ({@code socket}) to a socket with {@code SO_ATTACH_BPF}. */
public final class SocketAttach {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    /** {@code SO_DETACH_BPF}, the same number as {@code SO_DETACH_FILTER}. */
    private static final int SO_DETACH_BPF = 27;

    private SocketAttach() {
    }

    /**
     * Attaches {@code program} to the socket with descriptor {@code socketFd}; closing the link
     * detaches it ({@code SO_DETACH_BPF}), and the socket stays the caller's.
     *
     * @param program the SOCKET_FILTER program's descriptor, which stays the caller's
     * @param socketFd an open socket's descriptor, which stays the caller's
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the kernel refuses, naming the errno
     */
    public static Link attach(BpfFd program, int socketFd) {
        String what = "socket fd " + socketFd;
        int attached = Native.setsockopt(socketFd, SOL_SOCKET, SO_ATTACH_BPF, program);
        if (attached < 0) {
            throw new IllegalArgumentException("setsockopt(SO_ATTACH_BPF) on " + what + " failed with " + Errno.of(-attached)
                    + " (EBADF or ENOTSOCK: not an open socket; EINVAL: the program is not a SOCKET_FILTER)");
        }
        return Link.of(what, () -> {
            int detached = Native.setsockopt(socketFd, SOL_SOCKET, SO_DETACH_BPF, 0);
            // ENOENT: the filter is gone already (replaced by the socket's owner); EBADF: the socket was closed.
            if (detached < 0 && detached != -Errno.ENOENT.number() && detached != -Errno.EBADF.number()) {
                throw new IllegalStateException("setsockopt(SO_DETACH_BPF) on " + what + " failed with " + Errno.of(-detached));
            }
        });
    }
}

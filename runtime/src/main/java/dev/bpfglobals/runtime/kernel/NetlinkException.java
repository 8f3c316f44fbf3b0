package dev.bpfglobals.runtime.kernel;

/**
 * An rtnetlink request the kernel refused (a traffic-control qdisc or filter): what was asked,
 * the errno by name, the kernel's own extended-ack message where it sent one, and what to do.
 */
public class NetlinkException extends RuntimeException {

    /** Why the kernel refused, as {@link #errno()} gives it. */
    private final Errno errno;

    /**
     * A refusal with {@code errno}, described by {@code message} (which names the request and the way out).
     *
     * @param errno the kernel's errno
     * @param message the whole message: the request, the kernel's own words and the way out
     */
    public NetlinkException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** {@return why, as the kernel's errno ({@link Errno#UNKNOWN} for a number this library does not name)} */
    public Errno errno() {
        return errno;
    }
}

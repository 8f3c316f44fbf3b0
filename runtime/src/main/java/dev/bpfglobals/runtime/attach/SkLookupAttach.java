package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.file.Path;

/**
 * Attaches SK_LOOKUP programs ({@code sk_lookup}, kernel 5.9+) to a network namespace with
 * BPF_LINK_CREATE of attach type {@code BPF_SK_LOOKUP} on the namespace's file, as libbpf's
 * {@code bpf_program__attach_netns} does. The program then runs whenever a TCP SYN or a UDP datagram
 * in that namespace looks for its socket, before the kernel's own lookup, and may pick the socket
 * itself with {@code bpf_sk_assign} (one held in a SOCKMAP or SOCKHASH).
 */
public final class SkLookupAttach {

    /** The network namespace of the calling thread: namespaces are per thread, so not {@code /proc/self}'s. */
    public static final Path THIS_THREADS_NAMESPACE = Path.of("/proc/thread-self/ns/net");

    private SkLookupAttach() {
    }

    /**
     * Attaches {@code program} to the network namespace whose file is {@code namespace}.
     *
     * @param program the SK_LOOKUP program's descriptor, which stays the caller's
     * @param namespace a network namespace file: {@code /proc/PID/ns/net}, {@code /run/netns/NAME} (as
     *                  {@code ip netns add} makes them) or {@link #THIS_THREADS_NAMESPACE}
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the file cannot be opened, is no network namespace, or the
     *                                  program is not SK_LOOKUP
     */
    public static Link attach(BpfFd program, Path namespace) {
        String what = "sk_lookup in network namespace " + namespace;
        try (BpfFd file = Native.openReadOnly(namespace.toString(), what)) { // the link holds the namespace itself
            return Link.of(what, Links.create(program, file, Links.SK_LOOKUP, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new IllegalArgumentException(what + ": BPF_LINK_CREATE refused with EINVAL: the file is no network "
                        + "namespace (use /proc/PID/ns/net or /run/netns/NAME) or the program is not an SK_LOOKUP one "
                        + "(load it from a SEC(\"sk_lookup\") section)", e);
            }
            throw e;
        }
    }
}

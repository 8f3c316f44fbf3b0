package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.file.Path;

/**
 * Attaches CGROUP_SKB and CGROUP_SOCK programs ({@code cgroup_skb/ingress}, {@code cgroup_skb/egress},
 * {@code cgroup/sock_create}, {@code cgroup/sock_release}) to a cgroup v2 directory with a BPF link
 * (kernel 5.7+).
 */
public final class CgroupAttach {

    private CgroupAttach() {
    }

    /**
     * Attaches {@code program} to cgroup v2 directory {@code cgroup} at {@code hook}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param cgroup the cgroup v2 directory
     * @param hook where in the cgroup's socket path the program runs
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where {@code cgroup} cannot be opened as a directory
     * @throws BpfException naming the errno: {@code EBADF} where the directory is not a cgroup v2 one,
     *                      {@code EINVAL} where the program was loaded for another hook
     */
    public static Link attach(BpfFd program, Path cgroup, CgroupHook hook) {
        String what = "cgroup " + cgroup + " at " + hook;
        try (BpfFd directory = Native.openDirectory(cgroup.toString(), what)) { // the link holds the cgroup itself
            return Link.of(what, Links.create(program, directory, hook.attachType(), what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EBADF) {
                throw new BpfException(e.command(), e.errno(), what, "it is not a cgroup v2 directory (cgroup v1 hierarchies take no "
                        + "BPF programs); use a directory under the cgroup2 mount (see /proc/self/mounts)");
            }
            if (e.errno() == Errno.EINVAL) {
                throw new BpfException(e.command(), e.errno(), what, "the program's type or the hook it was loaded for does not match "
                        + hook + " (cgroup_skb/ingress and /egress are CGROUP_SKB, cgroup/sock_create and /sock_release CGROUP_SOCK)");
            }
            throw e;
        }
    }
}

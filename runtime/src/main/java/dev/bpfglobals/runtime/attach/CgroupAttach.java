package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.file.Path;

/**
 * Attaches the programs of a cgroup's hooks to a cgroup v2 directory with a BPF link (kernel 5.7+;
 * {@code lsm_cgroup/} 6.0+): CGROUP_SKB ({@code cgroup_skb/ingress}, {@code cgroup_skb/egress}),
 * CGROUP_SOCK ({@code cgroup/sock_create}, {@code cgroup/post_bind4} ...), CGROUP_SOCK_ADDR
 * ({@code cgroup/connect4}, {@code cgroup/sendmsg6}, {@code cgroup/getsockname4} ...), CGROUP_SYSCTL,
 * CGROUP_SOCKOPT, CGROUP_DEVICE, SOCK_OPS ({@code sockops}) and LSM programs of {@code lsm_cgroup/HOOK},
 * each at the {@link CgroupHook} its section names ({@link CgroupHook#ofSection}).
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
                        + hook + CgroupHook.sectionsOf(hook));
            }
            throw e;
        }
    }
}

package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.kernelenv.ClsactFilters;
import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.ProgramInfo;

/**
 * Attaches SCHED_CLS programs to an interface: through TCX where the kernel
 * has it (6.6+), else as a classic direct-action {@code bpf} filter on a {@code clsact} qdisc over
 * rtnetlink, the way libbpf's {@code bpf_tc_attach} does; and either one when asked.
 */
public final class TcAttach {

    /** {@code BPF_PROG_TYPE_SCHED_CLS}. */
    private static final int SCHED_CLS = 3;

    private TcAttach() {
    }

    /**
     * TCX where BPF_LINK_CREATE knows it, the clsact filter (priority 1, handle 1) where it answers EINVAL.
     *
     * @param program the SCHED_CLS program's descriptor, which stays the caller's
     * @param info the program's kernel information, to check its type and name the filter
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction ingress or egress
     * @return the attachment, which detaches when closed
     */
    public static Link attach(BpfFd program, ProgramInfo info, String interfaceName, TcxDirection direction) {
        int ifindex = interfaceIndex(interfaceName);
        requireSchedCls(info, interfaceName, direction);
        String what = "TCX " + direction + " of " + interfaceName;
        try {
            return Link.of(what, () -> { }, Links.createOnInterface(program, ifindex, direction.attachType(), what));
        } catch (BpfException e) {
            // Only a kernel without the TCX attach types takes the clsact way; any other refusal is the answer.
            if (e.errno() != Errno.EINVAL || Links.kernelKnowsTcx(ifindex, direction.attachType())) {
                throw e;
            }
        }
        return attachClassic(program, info, ifindex, interfaceName, direction, 1, 1);
    }

    /**
     * The clsact filter, whatever the kernel has.
     *
     * @param program the SCHED_CLS program's descriptor, which stays the caller's
     * @param info the program's kernel information, to check its type and name the filter
     * @param interfaceName the network interface, e.g. {@code eth0}
     * @param direction ingress or egress
     * @param priority the filter's priority, 1 to 65535 (lower runs first)
     * @param handle the filter's handle within that priority, not 0
     * @return the attachment, which deletes the filter when closed
     */
    public static Link attachClassic(BpfFd program, ProgramInfo info, String interfaceName, TcxDirection direction,
            int priority, int handle) {
        if (priority < 1 || priority > 0xFFFF) {
            throw new IllegalArgumentException("tc filter priority " + priority + ": expected 1 to 65535");
        }
        if (handle == 0) {
            throw new IllegalArgumentException("tc filter handle 0: expected a non-zero handle (libbpf's default is 1)");
        }
        int ifindex = interfaceIndex(interfaceName);
        requireSchedCls(info, interfaceName, direction);
        return attachClassic(program, info, ifindex, interfaceName, direction, priority, handle);
    }

    private static Link attachClassic(BpfFd program, ProgramInfo info, int ifindex, String interfaceName,
            TcxDirection direction, int priority, int handle) {
        String what = "clsact " + direction + " filter of " + interfaceName + " (priority " + priority + ", handle " + handle + ")";
        ClsactFilters.Attached attached = ClsactFilters.attach(program, info.id(), info.name(), ifindex, interfaceName,
                direction == TcxDirection.INGRESS, priority, handle, what);
        return Link.of(what, attached::detach);
    }

    static int interfaceIndex(String interfaceName) {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex < 0) {
            throw new IllegalArgumentException("no network interface '" + interfaceName + "' (" + Errno.of(-ifindex) + ")");
        }
        return ifindex;
    }

    private static void requireSchedCls(ProgramInfo info, String interfaceName, TcxDirection direction) {
        if (info.kernelType() != SCHED_CLS) {
            throw new IllegalArgumentException("program '" + info.name() + "' has kernel program type " + info.kernelType()
                    + ", not SCHED_CLS (3): only tc and tcx/ programs attach to " + direction + " of " + interfaceName);
        }
    }
}

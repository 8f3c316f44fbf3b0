package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.attach.IterAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.LsmAttach;
import dev.bpfglobals.runtime.attach.NetfilterAttach;
import dev.bpfglobals.runtime.attach.NetfilterFamily;
import dev.bpfglobals.runtime.attach.NetfilterHook;
import dev.bpfglobals.runtime.attach.SkLookupAttach;
import dev.bpfglobals.runtime.attach.SockmapAttach;
import dev.bpfglobals.runtime.attach.SockmapHook;
import dev.bpfglobals.runtime.attach.UprobeMultiAttach;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.nio.file.Path;

/**
 * The {@code attach*} methods of a {@link BpfProgram} for uprobe_multi links, LSM hooks,
 * iterators, netfilter hooks, socket maps and socket lookup, beside {@link ProgramAttachments} (which extends this) so that neither file grows past
 * a sitting: each is a thin delegate to its attach class in {@link dev.bpfglobals.runtime.attach}.
 * Sealed: {@link BpfProgram}, through {@link ProgramAttachments}, is its only implementation.
 */
public sealed interface HookAttachments permits ProgramAttachments {

    /**
     * The program's descriptor, lent to the attach classes.
     *
     * @return the program's file descriptor, still owned by the program
     */
    BpfFd fd();

    /**
     * What the kernel says about the program; the attach classes read its name.
     *
     * @return the kernel's current information about the program
     */
    ProgramInfo info();

    /**
     * Attaches this KPROBE program, loaded from a {@code uprobe.multi/} or {@code uretprobe.multi/}
     * section, to the entries (or, with {@code retprobe}, the returns) of every function of
     * {@code binary} whose name matches glob {@code pattern} ({@code *} any run, {@code ?} one
     * character), in every process that runs it, all through one uprobe_multi link (kernel 6.6+),
     * as libbpf's {@code uprobe.multi/PATH:PATTERN} sections attach. Names come from the file's
     * {@code .symtab}, else its {@code .dynsym}.
     *
     * @param binary the ELF executable or shared library
     * @param pattern a glob over the file's function names
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all matching functions, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no uprobe_multi links
     * @throws IllegalArgumentException     where no function matches {@code pattern}
     */
    default Link attachUprobeMulti(Path binary, String pattern, boolean retprobe) {
        return UprobeMultiAttach.matching(fd(), binary, pattern, retprobe, 0);
    }

    /**
     * As {@link #attachUprobeMulti(Path, String, boolean)}, in process {@code pid} alone: the kernel
     * runs the program for that process's calls only.
     *
     * @param binary the ELF executable or shared library
     * @param pattern a glob over the file's function names
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @param pid the process to probe, positive
     * @return the one link over all matching functions, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no uprobe_multi links
     * @throws IllegalArgumentException     where no function matches or there is no such process
     */
    default Link attachUprobeMulti(Path binary, String pattern, boolean retprobe, int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("uprobe.multi on " + binary + ":" + pattern + ": a process id is positive, not "
                    + pid + " (attachUprobeMulti(binary, pattern, retprobe) probes every process)");
        }
        return UprobeMultiAttach.matching(fd(), binary, pattern, retprobe, pid);
    }

    /**
     * Attaches this LSM program ({@code lsm/HOOK}, {@code lsm.s/HOOK}) to the security hook it was
     * loaded for ({@code BPF_LINK_CREATE} of {@code BPF_LSM_MAC}); its return then decides the hook
     * (0 allows, a negative errno refuses).
     *
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel does not run the BPF LSM
     *         ({@code /sys/kernel/security/lsm} lacks {@code bpf})
     */
    default Link attachLsm() {
        return LsmAttach.attach(fd(), info().name());
    }

    /**
     * Makes this iterator program ({@code iter/TARGET}, e.g. {@code iter/task}) an iterator link over
     * its whole target; {@link IterAttach#open}, {@link IterAttach#readText} and
     * {@link IterAttach#readRecords} read a pass of it.
     *
     * @return the iterator link, to read as often as wanted; closing it ends it
     * @throws IllegalArgumentException where the target walks one map's elements (use {@link #attachMapIterator})
     */
    default Link attachIterator() {
        return IterAttach.attach(fd(), info().name());
    }

    /**
     * Makes this task iterator program ({@code iter/task}, {@code iter/task_file}, {@code iter/task_vma})
     * an iterator link over the threads of process {@code pid} alone (kernel 6.1+).
     *
     * @param pid the process to walk, positive
     * @return the iterator link, to read as often as wanted; closing it ends it
     * @throws IllegalArgumentException for a pid that is not positive
     */
    default Link attachTaskIterator(int pid) {
        return IterAttach.attachTask(fd(), pid, info().name());
    }

    /**
     * Makes this iterator program ({@code iter/bpf_map_elem} and other targets that walk one map) an
     * iterator link over the elements of {@code map}.
     *
     * @param map the map to walk, which stays the caller's
     * @return the iterator link, to read as often as wanted; closing it ends it
     */
    default Link attachMapIterator(BpfMap map) {
        return IterAttach.attachMap(fd(), map.fd(), info().name());
    }

    /**
     * Attaches this NETFILTER program ({@code netfilter}, kernel 6.4+) at {@code hook} of
     * {@code family} in the calling thread's network namespace ({@code BPF_LINK_CREATE} of
     * {@code BPF_NETFILTER}), as libbpf's {@code bpf_program__attach_netfilter}; its return decides
     * each packet: {@code NF_ACCEPT} (1) lets it on, {@code NF_DROP} (0) drops it.
     *
     * @param family IPv4 or IPv6 packets
     * @param hook the netfilter hook, e.g. {@link NetfilterHook#LOCAL_IN}
     * @param priority where among the hook's functions it runs, lower first; not {@link Integer#MIN_VALUE}
     *                 or {@link Integer#MAX_VALUE}
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a priority the kernel refuses, or a program that is not NETFILTER
     */
    default Link attachNetfilter(NetfilterFamily family, NetfilterHook hook, int priority) {
        return NetfilterAttach.attach(fd(), family, hook, priority, false);
    }

    /**
     * As {@link #attachNetfilter(NetfilterFamily, NetfilterHook, int)}, the program seeing whole,
     * reassembled IP packets where {@code defragment} ({@code BPF_F_NETFILTER_IP_DEFRAG}, 6.6+).
     *
     * @param family IPv4 or IPv6 packets
     * @param hook the netfilter hook
     * @param priority where among the hook's functions it runs, lower first; above -400 with defragmentation
     * @param defragment whether the kernel reassembles fragmented packets before the program sees them
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a priority the kernel refuses, or a program that is not NETFILTER
     * @throws UnsupportedOperationException where the kernel cannot defragment for BPF programs
     */
    default Link attachNetfilter(NetfilterFamily family, NetfilterHook hook, int priority, boolean defragment) {
        return NetfilterAttach.attach(fd(), family, hook, priority, defragment);
    }

    /**
     * Attaches this SK_MSG or SK_SKB program ({@code sk_msg}, {@code sk_skb/stream_verdict}, {@code sk_skb/verdict},
     * {@code sk_skb/stream_parser}) to the SOCKMAP or SOCKHASH {@code map} at {@code hook} with a BPF link
     * (kernel 6.10+), as libbpf's {@code bpf_program__attach_sockmap}: it then runs for every socket in the map.
     *
     * @param map the socket map, which stays the caller's
     * @param hook which of the map's programs this is, as the program's section names it
     * @return the attachment, which detaches when closed
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming the errno: {@code EINVAL} for a map that is no
     *         socket map, a program of another hook, or a kernel without sockmap links
     */
    default Link attachSockmap(BpfMap map, SockmapHook hook) {
        return SockmapAttach.attach(fd(), map.fd(), map.info().name(), hook);
    }

    /**
     * Attaches this SK_LOOKUP program ({@code sk_lookup}, kernel 5.9+) to network namespace file
     * {@code networkNamespace} ({@code BPF_LINK_CREATE} of {@code BPF_SK_LOOKUP}), as libbpf's
     * {@code bpf_program__attach_netns}: it then runs whenever a connection or datagram there looks for
     * its socket, and may steer it to one held in a SOCKMAP or SOCKHASH with {@code bpf_sk_assign}.
     *
     * @param networkNamespace {@code /proc/PID/ns/net}, {@code /run/netns/NAME}, or
     *                         {@link SkLookupAttach#THIS_THREADS_NAMESPACE}
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the file is no network namespace or the program is not SK_LOOKUP
     */
    default Link attachSkLookup(Path networkNamespace) {
        return SkLookupAttach.attach(fd(), networkNamespace);
    }
}

package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.attach.IterAttach;
import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.attach.LsmAttach;
import dev.bpfglobals.runtime.attach.UprobeMultiAttach;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import java.nio.file.Path;

/**
 * The {@code attach*} methods of a {@link BpfProgram} for uprobe_multi links, LSM hooks and
 * iterators, beside {@link ProgramAttachments} (which extends this) so that neither file grows past
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
     * Makes this iterator program ({@code iter/bpf_map_elem} and other targets that walk one map) an
     * iterator link over the elements of {@code map}.
     *
     * @param map the map to walk, which stays the caller's
     * @return the iterator link, to read as often as wanted; closing it ends it
     */
    default Link attachMapIterator(BpfMap map) {
        return IterAttach.attachMap(fd(), map.fd(), info().name());
    }
}

package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.elf.ElfFunctions;
import dev.bpfglobals.runtime.internal.UprobeMulti;
import dev.bpfglobals.runtime.internal.kernelenv.KernelFunctions;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * Attaches KPROBE programs of {@code uprobe.multi/} and {@code uretprobe.multi/} sections (and their
 * sleepable {@code .s} forms) to many functions of one ELF file through one uprobe_multi link
 * (kernel 6.6+), as libbpf's {@code uprobe.multi/PATH:PATTERN} sections attach: the functions are
 * those of the file's symbol table whose names match a glob, in every process or in one.
 */
public final class UprobeMultiAttach {

    private UprobeMultiAttach() {
    }

    /**
     * Attaches {@code program} to every function of {@code binary} whose name matches glob
     * {@code pattern} ({@code *} any run, {@code ?} one character), found in its {@code .symtab},
     * else its {@code .dynsym}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library
     * @param pattern a glob over the file's function names
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @param pid the one process to probe, or 0 for every process that runs the file
     * @return the one link over all matching functions, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no uprobe_multi links
     * @throws IllegalArgumentException     where no function matches, {@code pid} is negative or the
     *                                      kernel refuses the file or the process
     */
    public static Link matching(BpfFd program, Path binary, String pattern, boolean retprobe, int pid) {
        String what = (retprobe ? "uretprobe.multi" : "uprobe.multi") + " on " + binary + ":" + pattern
                + (pid == 0 ? "" : " in process " + pid);
        if (pid < 0) {
            throw new IllegalArgumentException(what + ": a process id is positive (0 probes every process)");
        }
        SortedMap<String, Long> functions = ElfFunctions.matching(binary, name -> KernelFunctions.globMatches(pattern, name));
        if (functions.isEmpty()) {
            throw new IllegalArgumentException(what + ": no function of the file's .symtab or .dynsym matches the pattern");
        }
        return attach(program, binary, functions.values().stream().distinct().toList(), List.of(), retprobe, pid, what);
    }

    /**
     * Attaches {@code program} to exactly the functions of {@code binary} that {@code cookies} names, in
     * every process, each with its {@code bpf_cookie} (the map's value), which the program reads with
     * {@code bpf_get_attach_cookie}, as libbpf's {@code bpf_uprobe_multi_opts.cookies} gives them.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library
     * @param cookies each function's name and its cookie, in the order to attach them
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no uprobe_multi links
     * @throws IllegalArgumentException     where {@code cookies} is empty, the file lacks a function or two
     *                                      names are one function
     */
    public static Link withCookies(BpfFd program, Path binary, java.util.SequencedMap<String, Long> cookies, boolean retprobe) {
        String what = (retprobe ? "uretprobe.multi" : "uprobe.multi") + " on " + binary + ":" + String.join(",", cookies.keySet());
        if (cookies.isEmpty()) {
            throw new IllegalArgumentException(what + ": no function given");
        }
        java.util.SequencedMap<String, Long> offsets = new java.util.LinkedHashMap<>();
        cookies.keySet().forEach(function -> offsets.put(function, ElfFunctions.offsetOf(binary, function)));
        if (offsets.values().stream().distinct().count() < offsets.size()) {
            throw new IllegalArgumentException(what + ": two of the names are one function (the same file offset): " + offsets);
        }
        return attach(program, binary, List.copyOf(offsets.values()), List.copyOf(cookies.values()), retprobe, 0, what);
    }

    private static Link attach(BpfFd program, Path binary, List<Long> offsets, List<Long> cookies, boolean retprobe, int pid,
            String what) {
        if (!UprobeMulti.supported()) {
            throw new UnsupportedOperationException(what + ": this kernel (" + System.getProperty("os.version")
                    + ") makes no uprobe_multi links (they need kernel 6.6+ with CONFIG_UPROBES); "
                    + "attach a uprobe per function (attachUprobe) instead");
        }
        try {
            return Link.of(what, UprobeMulti.attach(program, binary.toString(), offsets, cookies, retprobe, pid, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL || e.errno() == Errno.EBADF) {
                throw new IllegalArgumentException(what + ": the kernel refused with " + e.errno() + ": no such process "
                        + "(ESRCH), no such file (ENOENT, EBADF), or the program was not loaded from a uprobe.multi/ or "
                        + "uretprobe.multi/ section (EINVAL)", e);
            }
            throw e;
        }
    }

    /** Attaches {@code program} where its section's target, {@code BINARY:PATTERN}, says, in every process. */
    static Link section(BpfFd program, AutoAttach.Section section, boolean retprobe) {
        String target = section.target();
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("program '" + section.program() + "' in section '" + section.section()
                    + "': a uprobe.multi section names BINARY:PATTERN (e.g. uprobe.multi//usr/lib/x86_64-linux-gnu/libc.so.6:"
                    + "getp*id); for another target use BpfProgram.attachUprobeMulti(binary, pattern, retprobe)");
        }
        Path binary = UprobeSection.resolve(section.program(), section.section(), target.substring(0, colon));
        return matching(program, binary, target.substring(colon + 1), retprobe, 0);
    }
}

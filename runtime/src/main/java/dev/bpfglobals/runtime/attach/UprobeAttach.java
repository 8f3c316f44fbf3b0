package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.elf.ElfFunctions;
import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.nio.file.Path;

/**
 * Attaches KPROBE programs to a function of an ELF executable or shared library, in every process
 * that runs it, through the kernel's uprobe PMU ({@code uprobe/BINARY:FUNCTION[+OFFSET]},
 * {@code uretprobe/...}, parsed by {@link UprobeSection}). Functions are found by name in the file's
 * {@code .symtab} or {@code .dynsym}, as libbpf finds them.
 */
public final class UprobeAttach {

    private UprobeAttach() {
    }

    /**
     * Attaches {@code program} to the entry (or, with {@code retprobe}, the return) of {@code function} in {@code binary}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library holding the function
     * @param function the function's symbol name
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException     where the file lacks the function or the kernel refuses the probe
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    public static Link function(BpfFd program, Path binary, String function, boolean retprobe) {
        String what = (retprobe ? "uretprobe" : "uprobe") + " on " + binary + ":" + function;
        return PerfEventAttach.onEvent(program, what, PerfEvents.uprobe(binary, ElfFunctions.offsetOf(binary, function), retprobe, what));
    }

    /**
     * As {@link #function(BpfFd, Path, String, boolean)} with {@code options}: the link's cookie, a
     * semaphore the kernel raises while the probe is attached, and one process, as libbpf's
     * {@code bpf_uprobe_opts} give them.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library holding the function
     * @param function the function's symbol name
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @param options the cookie, semaphore offset and process
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException where the file lacks the function, the process does not exist or
     *                                  the kernel refuses the probe or the semaphore
     */
    public static Link function(BpfFd program, Path binary, String function, boolean retprobe, AttachOptions options) {
        String what = (retprobe ? "uretprobe" : "uprobe") + " on " + binary + ":" + function
                + (options.pid() > 0 ? " in process " + options.pid() : "");
        return PerfEventAttach.onEvent(program, what, PerfEvents.uprobe(binary, ElfFunctions.offsetOf(binary, function),
                options.refCtrOffset(), options.pid(), retprobe, what), options.cookie());
    }

    /**
     * Attaches {@code program} at byte {@code fileOffset} of {@code binary}: a uprobe by offset, for
     * functions without a symbol.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param binary the ELF executable or shared library to probe
     * @param fileOffset the byte offset in the file (not a virtual address) of the probed instruction
     * @param retprobe {@code true} to run on the return of the function starting at that offset
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException     where the kernel refuses the file or offset
     * @throws UnsupportedOperationException where the kernel has no uprobes
     */
    public static Link offset(BpfFd program, Path binary, long fileOffset, boolean retprobe) {
        String what = (retprobe ? "uretprobe" : "uprobe") + " on " + binary + "+0x" + Long.toHexString(fileOffset);
        return PerfEventAttach.onEvent(program, what, PerfEvents.uprobe(binary, fileOffset, retprobe, what));
    }

    /** Attaches {@code program} where section target {@code probe} says. */
    static Link section(BpfFd program, UprobeSection probe, boolean retprobe) {
        if (probe.offset() == 0) {
            return function(program, probe.binary(), probe.function(), retprobe);
        }
        long start = ElfFunctions.offsetOf(probe.binary(), probe.function());
        return offset(program, probe.binary(), start + probe.offset(), retprobe);
    }
}

package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.kernelenv.PerfEvents;
import dev.bpfglobals.runtime.kernel.BpfFd;

/**
 * Attaches KPROBE programs to a kernel function's entry or return through the kernel's kprobe PMU
 * ({@code kprobe/FUNC}, {@code kretprobe/FUNC}), and to a system call's handler on this
 * architecture ({@code ksyscall/NAME}, {@code kretsyscall/NAME}).
 */
public final class KprobeAttach {

    private KprobeAttach() {
    }

    /**
     * Attaches {@code program} to the entry (or, with {@code retprobe}, the return) of kernel function
     * {@code function}, a name from {@code /proc/kallsyms}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param function the kernel function to probe
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where the kernel has no kprobes, naming what to use instead
     * @throws IllegalArgumentException     where the kernel cannot probe {@code function}
     */
    public static Link attach(BpfFd program, String function, boolean retprobe) {
        return attach(program, function, retprobe, AttachOptions.NONE);
    }

    /**
     * As {@link #attach(BpfFd, String, boolean)}, the link carrying {@code options}' cookie, which the
     * program reads with {@code bpf_get_attach_cookie}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param function the kernel function to probe
     * @param retprobe {@code true} to run on the function's return rather than its entry
     * @param options the cookie (a semaphore or a process are uprobes' alone)
     * @return the attachment, which detaches when closed
     * @throws IllegalArgumentException for a semaphore or a process in {@code options}, or a function the kernel cannot probe
     */
    public static Link attach(BpfFd program, String function, boolean retprobe, AttachOptions options) {
        String what = (retprobe ? "kretprobe " : "kprobe ") + function;
        options.requireNoUprobeOptions(what);
        return PerfEventAttach.onEvent(program, what, PerfEvents.kprobe(function, retprobe), options.cookie());
    }

    /**
     * The kernel function behind system call {@code name} on this architecture, as libbpf's
     * {@code ksyscall/} sections find it: {@code __x64_sys_getpid} on x86-64.
     *
     * @param name the system call's name, e.g. {@code getpid}
     * @return the kernel function to probe for it
     */
    public static String syscallHandler(String name) {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "__x64_sys_" + name;
            case "aarch64" -> "__arm64_sys_" + name;
            case "s390x" -> "__s390x_sys_" + name;
            case "riscv64" -> "__riscv_sys_" + name;
            default -> "sys_" + name;
        };
    }
}

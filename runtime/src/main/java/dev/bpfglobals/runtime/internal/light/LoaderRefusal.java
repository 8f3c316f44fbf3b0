package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Turns the kernel's refusal of the loader program into one line that says what the kernel refused:
 * syscall programs themselves, or the {@code bpf_sys_bpf} helper (and the pointer stores into the
 * loader's data that come with it), which the kernel gives only to CAP_PERFMON.
 */
final class LoaderRefusal {

    static final String WHAT = "light skeleton loader program, BPF_PROG_TYPE_SYSCALL, sleepable";
    private static final String LOG_MARK = "the verifier refused it:";

    private LoaderRefusal() {
    }

    static BpfException of(BpfException refused) {
        String message = refused.getMessage();
        int mark = message.indexOf(LOG_MARK);
        String log = mark < 0 ? "" : message.substring(mark + LOG_MARK.length());
        String reason = VerifierLog.lastError(log);
        Errno errno = refused.errno();
        String hint;
        if (VerifierLog.mentions(log, "bpf_sys_bpf") || VerifierLog.mentions(log, "leaks addr into map")) {
            hint = "the kernel refuses bpf_sys_bpf to this loader (verifier: " + reason + "); a light skeleton's loader"
                    + " needs CAP_PERFMON (or CAP_SYS_ADMIN) besides CAP_BPF";
        } else if (errno == Errno.EPERM) {
            hint = "the kernel refuses BPF_PROG_TYPE_SYSCALL programs to this process; a light skeleton's loader needs"
                    + " CAP_BPF (or CAP_SYS_ADMIN)";
        } else if (errno == Errno.EINVAL && reason.equals("(no verifier log)")) {
            hint = "the kernel refuses sleepable BPF_PROG_TYPE_SYSCALL programs; light skeletons need Linux 5.14 or later";
        } else {
            hint = "the verifier refused the loader: " + reason;
        }
        return new BpfException(BpfCommand.BPF_PROG_LOAD, errno, WHAT, hint);
    }
}

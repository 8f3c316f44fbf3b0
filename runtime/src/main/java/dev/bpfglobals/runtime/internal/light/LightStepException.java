package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * A step of the light skeleton's loader the kernel refused, with the step it was, so that the
 * planner can explain a program's refusal as a normal load of that program would.
 */
public final class LightStepException extends BpfException {

    private static final long serialVersionUID = 1L;

    /** The step that failed. */
    private final transient LoaderStep step;

    LightStepException(LoaderStep step, Errno errno, String where, String hint) {
        super(step.kind().command(), errno, where, hint);
        this.step = step;
    }

    LightStepException(LoaderStep step, Errno errno, String where) {
        super(step.kind().command(), errno, where);
        this.step = step;
    }

    /** {@return the loader's step that failed} */
    public LoaderStep step() {
        return step;
    }

    /**
     * Why a program load failed with E2BIG and no verifier log: the attributes are longer than the
     * kernel knows, and only the CO-RE fields make them so for a kernel with syscall programs. (With
     * a log, E2BIG is the verifier's "program is too large", which the log says.)
     */
    static final String NO_KERNEL_SIDE_CORE = "the kernel does not know BPF_PROG_LOAD's core_relos: it predates kernel-side "
            + "CO-RE (5.17), which a light load of a program with CO-RE relocations needs; load the object with LoadedObject.load";

    /**
     * Why the kernel refused {@code step} where that is known without the verifier's log: an attach
     * target it does not have, or CO-RE relocations it cannot apply; null otherwise.
     */
    static String knownCause(LoaderStep step, Errno errno) {
        if (step.kind() == LoaderStep.Kind.ATTACH_TARGET) {
            return errno == Errno.ENOENT
                    ? "the kernel's BTF (vmlinux and every loaded module) has no such type; is the target a function, hook, "
                    + "iterator or tracepoint of this kernel?"
                    : "bpf_btf_find_by_name_kind could not look the target up (a kernel without BTF?)";
        }
        if (step.kind() == LoaderStep.Kind.KERNEL_SYMBOL) {
            return errno == Errno.ENOENT
                    ? "the kernel's BTF (vmlinux and every loaded module) has no such symbol"
                    : "bpf_btf_find_by_name_kind could not look the symbol up (a kernel without BTF?)";
        }
        if (step.kind() == LoaderStep.Kind.PROG_LOAD && errno == Errno.EPERM) {
            return "refused before verification (a security module, lockdown or a missing capability)";
        }
        return null;
    }
}

package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.internal.kernelenv.SecurityModules;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.List;
import java.util.Optional;

/**
 * Attaches LSM programs ({@code lsm/HOOK}, sleepable {@code lsm.s/HOOK}) to the security hook they
 * were verified for at load ({@code bpf_lsm_HOOK} in the kernel's BTF), with BPF_LINK_CREATE of
 * attach type {@code BPF_LSM_MAC}, as libbpf's {@code bpf_program__attach_lsm} does. The hook runs
 * only where the kernel runs the {@code bpf} security module; where securityfs says it does not,
 * the attach is refused, since the kernel would link a program that never runs.
 */
public final class LsmAttach {

    private LsmAttach() {
    }

    /**
     * Attaches LSM program {@code program}, named {@code programName} in what the link and errors say.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param programName the program's name, for the link's description and errors
     * @return the attachment, which detaches when closed
     * @throws UnsupportedOperationException where {@code /sys/kernel/security/lsm} lacks {@code bpf}
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming the errno: {@code EINVAL} for a program
     *         that is not LSM
     */
    public static Link attach(BpfFd program, String programName) {
        String what = "lsm program " + programName;
        Optional<List<String>> modules = SecurityModules.active();
        if (modules.isPresent() && !modules.get().contains("bpf")) {
            throw new UnsupportedOperationException(what + ": the kernel does not run the BPF LSM (" + SecurityModules.FILE
                    + ": " + String.join(",", modules.get()) + "), so its hooks never run a program; boot with bpf in lsm= "
                    + "(e.g. lsm=" + String.join(",", modules.get()) + ",bpf) on a kernel built with CONFIG_BPF_LSM");
        }
        return Link.of(what, Links.createOnLoadTarget(program, Links.LSM_MAC, what));
    }
}

package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.kernelenv.KernelFunctions;
import dev.bpfglobals.runtime.internal.KprobeMulti;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.util.HashSet;
import java.util.List;
import java.util.SequencedMap;

/**
 * Attaches KPROBE programs of {@code kprobe.multi/} and {@code kretprobe.multi/} sections to many
 * kernel functions through one kprobe_multi link (kernel 5.18+ with {@code CONFIG_FPROBE}).
 */
public final class KprobeMultiAttach {

    private KprobeMultiAttach() {
    }

    /**
     * Attaches {@code program} to every kernel function whose name matches glob {@code pattern}
     * ({@code *} any run, {@code ?} one character), names read from tracefs'
     * {@code available_filter_functions}, else {@code /proc/kallsyms}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param pattern a glob over kernel function names
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all matching functions, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where no function matches {@code pattern}
     */
    public static Link matching(BpfFd program, String pattern, boolean retprobe) {
        String what = (retprobe ? "kretprobe.multi" : "kprobe.multi") + " on '" + pattern + "'";
        List<String> functions = KernelFunctions.matching(pattern);
        if (functions.isEmpty()) {
            throw new IllegalArgumentException(what + ": no kernel function matches the pattern (names come from "
                    + "available_filter_functions in tracefs, else /proc/kallsyms)");
        }
        return attach(program, what, functions, retprobe);
    }

    /**
     * Attaches {@code program} to exactly {@code functions}, each named once.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param functions the kernel functions to attach to, each once
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where {@code functions} is empty, repeats a name, or the
     *                                      kernel cannot attach to one of them
     */
    public static Link exactly(BpfFd program, List<String> functions, boolean retprobe) {
        String what = (retprobe ? "kretprobe.multi" : "kprobe.multi") + " on " + functions;
        if (functions.isEmpty() || new HashSet<>(functions).size() != functions.size()) {
            throw new IllegalArgumentException(what + ": name each kernel function once, and at least one");
        }
        return attach(program, what, List.copyOf(functions), retprobe);
    }

    /**
     * Attaches {@code program} to exactly the kernel functions of {@code cookies}' keys, each with its
     * value as the cookie {@code bpf_get_attach_cookie} returns while the program runs on that function.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param cookies each kernel function, with its cookie
     * @param retprobe {@code true} to run on the functions' returns rather than their entries
     * @return the one link over all of them, which detaches them all when closed
     * @throws UnsupportedOperationException where the kernel makes no kprobe_multi links
     * @throws IllegalArgumentException     where {@code cookies} is empty or the kernel cannot attach
     *                                      to one of its functions
     */
    public static Link withCookies(BpfFd program, SequencedMap<String, Long> cookies, boolean retprobe) {
        String what = (retprobe ? "kretprobe.multi" : "kprobe.multi") + " on " + cookies.sequencedKeySet() + " with cookies";
        if (cookies.isEmpty()) {
            throw new IllegalArgumentException(what + ": name at least one kernel function");
        }
        long[] values = cookies.sequencedValues().stream().mapToLong(Long::longValue).toArray();
        return attach(program, what, List.copyOf(cookies.sequencedKeySet()), values, retprobe);
    }

    private static Link attach(BpfFd program, String what, List<String> functions, boolean retprobe) {
        return attach(program, what, functions, null, retprobe);
    }

    private static Link attach(BpfFd program, String what, List<String> functions, long[] cookies, boolean retprobe) {
        if (!KprobeMulti.supported()) {
            throw new UnsupportedOperationException(what + ": this kernel (" + System.getProperty("os.version")
                    + ") makes no kprobe_multi links (they need kernel 5.18+ built with CONFIG_FPROBE); "
                    + "attach single kprobes (attachKprobe) or a tracepoint instead");
        }
        try {
            return Link.of(what, KprobeMulti.attach(program, functions, cookies, retprobe, what));
        } catch (BpfException e) {
            if (e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL) {
                throw new IllegalArgumentException(what + ": the kernel refused with " + e.errno() + ": a function is "
                        + "missing or not attachable (see available_filter_functions), or the program was not loaded "
                        + "from a kprobe.multi/ or kretprobe.multi/ section", e);
            }
            throw e;
        }
    }
}

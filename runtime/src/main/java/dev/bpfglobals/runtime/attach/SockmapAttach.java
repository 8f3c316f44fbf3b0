package dev.bpfglobals.runtime.attach;

import dev.bpfglobals.runtime.internal.Links;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Attaches SK_MSG and SK_SKB programs ({@code sk_msg}, {@code sk_skb/stream_verdict} ...) to a
 * SOCKMAP or SOCKHASH with a BPF link ({@code BPF_LINK_CREATE} on the map, kernel 6.10+), as
 * libbpf's {@code bpf_program__attach_sockmap}: the program then runs for every socket in the map.
 */
public final class SockmapAttach {

    private SockmapAttach() {
    }

    /**
     * Attaches {@code program} to {@code map} at {@code hook}.
     *
     * @param program the program's descriptor, which stays the caller's
     * @param map the SOCKMAP or SOCKHASH's descriptor, which stays the caller's
     * @param mapName the map's name, for messages
     * @param hook which of the map's programs this is
     * @return the attachment, which detaches when closed
     * @throws BpfException naming the errno: {@code EINVAL} where the map is no socket map, the program was
     *                      loaded for another hook, or the kernel makes no sockmap links (before 6.10)
     */
    public static Link attach(BpfFd program, BpfFd map, String mapName, SockmapHook hook) {
        String what = "map " + mapName + " at " + hook;
        try {
            return Link.of(what, Links.create(program, map, hook.attachType(), what));
        } catch (BpfException e) {
            if (e.errno() == Errno.EINVAL) {
                throw new BpfException(e.command(), e.errno(), what, "the map is no SOCKMAP or SOCKHASH, the program is not "
                        + "the SK_MSG or SK_SKB program of " + hook + ", or the kernel makes no sockmap links (6.10+)");
            }
            throw e;
        }
    }
}

package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The probe libbpf runs for kprobe_multi and uprobe_multi links: load an empty KPROBE program for
 * the link's attach type, ask for a link the kernel must refuse, and tell from the errno whether it
 * got as far as looking at the request. The answer is asked once per process.
 */
final class MultiLinkProbe {

    private static final int KPROBE_PROGRAM = 2;

    private final String name;
    private final int attachType;
    private final IntToLongFunction refusedLink;
    private final Errno looked;
    private volatile Boolean supported;

    /**
     * @param name        the probe program's name, and the link's in a message
     * @param attachType  the link's attach type
     * @param refusedLink makes the link from the program's fd: the raw result, a link fd or minus an errno
     * @param looked      the errno that says the kernel knows the attach type and looked at the request
     */
    MultiLinkProbe(String name, int attachType, IntToLongFunction refusedLink, Errno looked) {
        this.name = name;
        this.attachType = attachType;
        this.refusedLink = refusedLink;
        this.looked = looked;
    }

    boolean supported() {
        Boolean known = supported;
        if (known == null) {
            known = probe();
            supported = known;
        }
        return known;
    }

    private boolean probe() {
        long[] program = {0xb7L, 0x95L}; // r0 = 0; exit
        BpfFd loaded;
        try {
            loaded = Bpf.progLoad(new ProgramLoad(KPROBE_PROGRAM, program, "GPL", name, null, new int[0], new int[0],
                    attachType, 0, null, List.of()));
        } catch (BpfException refused) {
            return false; // a kernel that cannot even load for the attach type has no such links
        }
        try (BpfFd fd = loaded) {
            long link = Bpf.using(fd, refusedLink::applyAsLong);
            if (link >= 0) {
                BpfFd.adopt((int) link, name + " link").close();
                return true;
            }
            return Errno.of((int) -link) == looked;
        }
    }
}

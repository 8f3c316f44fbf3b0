package dev.bpfglobals.runtime.btf;

import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * Which BTF kinds the running kernel accepts in {@code BPF_BTF_LOAD}. Kinds arrived over several
 * releases; {@link BtfSanitizer} rewrites the ones a kernel lacks into kinds it knows, as libbpf
 * does, so an object built by a new clang still loads with its BTF on an older kernel.
 *
 * @param func       {@code FUNC} and {@code FUNC_PROTO} (5.0); without them programs load without func and line info
 * @param globalFunc {@code FUNC} with global linkage (5.6)
 * @param datasec    {@code VAR} and {@code DATASEC} (5.2)
 * @param floats     {@code FLOAT} (5.13)
 * @param declTag    {@code DECL_TAG} (5.16)
 * @param typeTag    {@code TYPE_TAG} (5.17)
 * @param enum64     {@code ENUM64} (6.0)
 */
public record BtfSupport(boolean func, boolean globalFunc, boolean datasec, boolean floats, boolean declTag,
        boolean typeTag, boolean enum64) {

    /** Every kind this library knows: what a current kernel accepts, and what needs no sanitising. */
    public static final BtfSupport ALL = new BtfSupport(true, true, true, true, true, true, true);
    /** Only the kinds of the first BTF kernels (4.18): sanitising rewrites everything it can. */
    public static final BtfSupport NONE = new BtfSupport(false, false, false, false, false, false, false);

    private static volatile BtfSupport probed;

    /** This kernel's support, probed once by loading one tiny BTF blob per kind (needs CAP_BPF). */
    public static BtfSupport probe() {
        BtfSupport support = probed;
        if (support == null) {
            support = new BtfSupport(btfLoads(BtfProbes.func(false)), btfLoads(BtfProbes.func(true)),
                    btfLoads(BtfProbes.datasec()), btfLoads(BtfProbes.floats()),
                    btfLoads(BtfProbes.declTag()), btfLoads(BtfProbes.typeTag()),
                    btfLoads(BtfProbes.enum64()));
            probed = support;
        }
        return support;
    }

    /** Whether the kernel loads this BTF blob: how the kind probes ask. */
    static boolean btfLoads(byte[] btf) {
        try (BpfFd loaded = BtfObjects.load(btf)) {
            return true;
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw e; // no CAP_BPF: that says nothing about the kernel's BTF
            }
            return false;
        }
    }

    /** Whether {@code btf} can be loaded as it is. */
    public boolean acceptsAll(Btf btf) {
        for (BtfType type : btf.types()) {
            if (!accepts(type)) {
                return false;
            }
        }
        return true;
    }

    boolean accepts(BtfType type) {
        return switch (type.kind()) { // on the kind, not the sealed type: see Btf.resolve
            case FUNC -> func && (globalFunc || ((BtfType.Func) type).linkage() != BtfType.Linkage.GLOBAL);
            case FUNC_PROTO -> func;
            case VAR, DATASEC -> datasec;
            case FLOAT -> floats;
            case DECL_TAG -> declTag;
            case TYPE_TAG -> typeTag;
            case ENUM64 -> enum64;
            default -> true;
        };
    }
}

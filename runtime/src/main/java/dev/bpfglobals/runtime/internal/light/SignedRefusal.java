package dev.bpfglobals.runtime.internal.light;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;

/**
 * One line for each way the kernel refuses a signed loader: a kernel without signed programs, a
 * signature that does not verify against the keyring, a keyring it cannot use, or the loader itself.
 */
final class SignedRefusal {

    static final String WHAT = "signed light skeleton loader";
    /** What a kernel without the signature fields is told, wherever it says so first. */
    static final String NO_SIGNED_PROGRAMS = "this kernel has no signed BPF programs (BPF_PROG_LOAD signature, signature_size,"
            + " keyring_id and exclusive maps came in Linux 6.18); load the skeleton unsigned, or on a newer kernel";

    private SignedRefusal() {
    }

    /** The data map's creation failed: E2BIG is a kernel that has no {@code excl_prog_hash}. */
    static BpfException ofDataMap(Errno errno) {
        if (errno == Errno.E2BIG) {
            return new BpfException(BpfCommand.BPF_MAP_CREATE, errno, WHAT + "'s data map, excl_prog_hash", NO_SIGNED_PROGRAMS);
        }
        return new BpfException(BpfCommand.BPF_MAP_CREATE, errno, WHAT + "'s data map, excl_prog_hash");
    }

    /** The loader's BPF_PROG_LOAD failed; {@code log} is the verifier's log of a second attempt. */
    static BpfException ofLoad(Errno errno, int keyringId, String log) {
        String where = WHAT + ", keyring " + keyringId;
        String reason = VerifierLog.lastError(log);
        String hint = switch (errno) {
            case E2BIG -> NO_SIGNED_PROGRAMS;
            case EKEYREJECTED, EBADMSG, ENOKEY, EKEYEXPIRED, EKEYREVOKED, ENOPKG -> "the signature did not verify against keyring "
                    + keyringId + " (" + meaning(errno) + ")";
            case EOPNOTSUPP -> "this kernel cannot verify signatures (built without CONFIG_SYSTEM_DATA_VERIFICATION)";
            default -> VerifierLog.mentions(log, "cannot resolve signing keyring")
                    ? "keyring " + keyringId + " cannot be used: no such keyring, or this process does not possess it"
                    : VerifierLog.mentions(log, "signature verification failed")
                            ? "the signature did not verify against keyring " + keyringId + " (verifier: " + reason + ")"
                            : "the kernel refused the signed loader (verifier: " + reason + ")";
        };
        return new BpfException(BpfCommand.BPF_PROG_LOAD, errno, where, hint);
    }

    private static String meaning(Errno errno) {
        return switch (errno) {
            case EKEYREJECTED -> "EKEYREJECTED: it does not match the loader's instructions and data under the signer's key;"
                    + " the loader is built against the machine that builds it, so one signed on a machine whose kernel differs"
                    + " (BTF support, page size, possible CPUs, kconfig values, weak kernel symbols) differs from the one loaded here";
            case ENOKEY -> "ENOKEY: no key in that keyring is the signer's";
            case EBADMSG -> "EBADMSG: the kernel cannot parse it as PKCS#7";
            case ENOPKG -> "ENOPKG: the kernel lacks the signature's algorithm";
            default -> errno.name() + ": the signer's key is not valid";
        };
    }
}

package dev.bpfglobals.runtime;

import java.util.Objects;

/**
 * A signature for a light skeleton's loader, and the keyring the kernel checks it against: what
 * {@link ObjectSpec#loadLight(LoadOptions, LoaderSignature)} hands to {@code BPF_PROG_LOAD}
 * ({@code signature}, {@code signature_size}, {@code keyring_id}; Linux 6.18 and later).
 *
 * <p>The signature is a detached PKCS#7 (CMS) {@code SignedData} over {@link #signedContent(ObjectSpec)}:
 * the loader's instructions followed by its data, as built for {@link #TARGET}. It is made at build
 * time ({@code bpf-globals gen skeleton --light --sign-key KEY.pem --sign-cert CERT.pem}); the kernel
 * finds the signer's X.509 certificate in the keyring.
 *
 * @param pkcs7     the DER-encoded PKCS#7 signature
 * @param keyringId {@link #BUILTIN_KEYRING}, {@link #SECONDARY_KEYRING}, {@link #PLATFORM_KEYRING}, or the serial of
 *                  a keyring the loading process possesses that holds the signer's certificate
 */
public record LoaderSignature(byte[] pkcs7, int keyringId) {

    /** {@code keyring_id} 0: the kernel's built-in trusted keys. */
    public static final int BUILTIN_KEYRING = 0;
    /** {@code keyring_id} 1: the built-in and secondary trusted keys. */
    public static final int SECONDARY_KEYRING = 1;
    /** {@code keyring_id} 2: the platform keyring (firmware keys). */
    public static final int PLATFORM_KEYRING = 2;
    /**
     * What a signed loader is built for, fixed at build time so that the bytes signed then are the bytes
     * loaded later: per-CPU sections filled with one {@code BPF_F_ALL_CPUS} update (no CPU count in the
     * loader), native {@code .percpu} access, and the object's BTF as it is (no sanitizing for an old kernel).
     */
    public static final String TARGET = "BPF_F_ALL_CPUS per-CPU fill, native .percpu access, unsanitized BTF";

    /** Checks and copies the signature. */
    public LoaderSignature {
        Objects.requireNonNull(pkcs7, "pkcs7");
        if (pkcs7.length == 0) {
            throw new IllegalArgumentException("the loader signature is empty");
        }
        pkcs7 = pkcs7.clone();
    }

    /** {@return the DER-encoded PKCS#7 signature, a copy} */
    @Override
    public byte[] pkcs7() {
        return pkcs7.clone();
    }

    /**
     * The bytes a signature of {@code object}'s light loader must cover: the loader's instructions
     * (native byte order) followed by its data, built for {@link #TARGET}. The same object, with the
     * same global images, gives the same bytes on machines of the same byte order whose kernels agree
     * on what the loader is planned against: the kernel takes the object's BTF (a trial
     * {@code BPF_BTF_LOAD}, so building needs CAP_BPF), the page size (ring buffers), the possible
     * CPUs (a {@code PERF_EVENT_ARRAY} without {@code max_entries}), {@code __kconfig} values and which
     * weak kernel symbols exist. Sign on a machine like the ones that load; elsewhere the kernel
     * answers EKEYREJECTED.
     *
     * @param object the object, with the global images it will be loaded with
     * @return the content to sign
     * @throws UnsupportedOperationException naming what the light loader does not support yet
     */
    public static byte[] signedContent(ObjectSpec object) {
        return SignedLightLoads.signedContent(object);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoaderSignature that && keyringId == that.keyringId && java.util.Arrays.equals(pkcs7, that.pkcs7);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(pkcs7) + keyringId;
    }

    @Override
    public String toString() {
        return "LoaderSignature[" + pkcs7.length + " bytes, keyring " + keyringId + "]";
    }
}

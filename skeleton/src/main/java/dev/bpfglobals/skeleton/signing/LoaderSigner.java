package dev.bpfglobals.skeleton.signing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * Signs a light skeleton's loader as the kernel's PKCS#7 parser checks a BPF program's signature
 * (crypto/asymmetric_keys, {@code VERIFYING_BPF_SIGNATURE}): a detached CMS {@code SignedData} of
 * type {@code data}, SHA-256, one signer named by issuer and serial number, no signed attributes
 * (so the signature is over the content itself) and no certificates (the kernel takes the signer's
 * certificate from the keyring), RSA (PKCS#1 v1.5) or ECDSA. This is the form
 * {@code openssl cms -sign -binary -noattr -nocerts -md sha256 -outform DER} writes, made with the
 * JDK's {@link Signature} and a small DER writer.
 */
public final class LoaderSigner {

    private static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
    private static final String DATA = "1.2.840.113549.1.7.1";
    private static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";

    private LoaderSigner() {
    }

    /**
     * The DER-encoded detached PKCS#7 signature of {@code content}.
     *
     * @param content     what the kernel will hash: the loader's instructions and data
     * @param key         the signer's private key, RSA or EC
     * @param certificate the signer's X.509 certificate, whose issuer and serial number name the signer
     * @return the signature, as {@code BPF_PROG_LOAD}'s {@code signature}
     * @throws GeneralSecurityException if the JDK cannot sign with {@code key}
     * @throws IllegalArgumentException for a key that is neither RSA nor EC, or that does not match the certificate
     */
    public static byte[] sign(byte[] content, PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        boolean rsa = key instanceof RSAPrivateKey;
        if (!rsa && !(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("the signing key is " + key.getAlgorithm() + "; the kernel checks RSA or ECDSA signatures");
        }
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("the signing key is " + key.getAlgorithm() + " but the certificate's key is "
                    + certificate.getPublicKey().getAlgorithm());
        }
        Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        signer.initSign(key);
        signer.update(content);
        byte[] signature = signer.sign();
        checkPair(content, signature, certificate, signer.getAlgorithm());

        byte[] sha256 = Der.sequence(Der.oid(SHA256));
        byte[] signatureAlgorithm = rsa ? Der.sequence(Der.oid(RSA), Der.nul()) : Der.sequence(Der.oid(ECDSA_SHA256));
        byte[] issuerAndSerial = Der.sequence(certificate.getIssuerX500Principal().getEncoded(),
                Der.integer(certificate.getSerialNumber()));
        byte[] signerInfo = Der.sequence(Der.integer(1), issuerAndSerial, sha256, signatureAlgorithm, Der.octetString(signature));
        byte[] signedData = Der.sequence(Der.integer(1), Der.setOf(sha256), Der.sequence(Der.oid(DATA)), Der.setOf(signerInfo));
        return Der.sequence(Der.oid(SIGNED_DATA), Der.explicit(0, signedData));
    }

    /** A key that is not the certificate's would give a signature no keyring verifies: say so now. */
    private static void checkPair(byte[] content, byte[] signature, X509Certificate certificate, String algorithm)
            throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(content);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("the signing key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }
}

package dev.bpfglobals.skeleton.signing;

import dev.bpfglobals.runtime.LoaderSignature;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.skeleton.SkeletonException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The signer of a light skeleton's loader, as {@code gen skeleton --sign-key KEY.pem --sign-cert CERT.pem}
 * names it.
 *
 * @param key         an unencrypted PKCS#8 PEM private key, RSA or EC
 * @param certificate the PEM X.509 certificate of that key, the one the loading machine's keyring holds
 */
public record SigningFiles(Path key, Path certificate) {

    /** Checks that both files are named. */
    public SigningFiles {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Signs {@code object}'s light loader, built for {@link LoaderSignature#TARGET}.
     *
     * @param object the object, as it will be loaded
     * @return the detached PKCS#7 signature, DER
     * @throws IOException       if a file cannot be read
     * @throws SkeletonException naming what is wrong with the key or certificate
     */
    public byte[] sign(ObjectSpec object) throws IOException {
        byte[] content;
        try {
            content = LoaderSignature.signedContent(object);
        } catch (RuntimeException e) {
            // An object the light loader refuses, or a kernel refusing a planning step: one line, not a raw exception.
            throw new SkeletonException("cannot build the light loader to sign: " + e.getMessage());
        }
        java.security.PrivateKey privateKey = PemFiles.privateKey(key);
        java.security.cert.X509Certificate signer = PemFiles.certificate(certificate);
        try {
            return LoaderSigner.sign(content, privateKey, signer);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SkeletonException("cannot sign the light loader with " + key + " and " + certificate + ": " + e.getMessage());
        }
    }
}

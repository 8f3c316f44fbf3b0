package dev.bpfglobals.exporter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, as node_exporter's web configuration names them:
 * a certificate file holds the server's certificate and then its chain; a key file holds one
 * unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA, EC or Ed25519. Other key encodings get
 * one line saying how to convert them.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    /** Largest PEM file read: a certificate chain is a few KiB. */
    private static final long MAX_BYTES = 1 << 20;

    private PemFiles() {
    }

    /**
     * The certificates in {@code file}, the server's first.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong with it
     */
    static List<X509Certificate> certificates(Path file, String option) {
        String text = read(file, option);
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + " holds no certificate (-----BEGIN CERTIFICATE-----)");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(option + " " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    /**
     * The private key in {@code file}, for a certificate whose key is {@code algorithm} ({@code RSA}, {@code EC}, {@code Ed25519}).
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong with it
     */
    static PrivateKey privateKey(Path file, String algorithm, String option) {
        String text = read(file, option);
        Matcher block = BLOCK.matcher(text);
        if (!block.find()) {
            throw new IllegalArgumentException(option + " " + file + " holds no PEM block (-----BEGIN PRIVATE KEY-----)");
        }
        String kind = block.group(1);
        if (!kind.equals("PRIVATE KEY")) {
            throw new IllegalArgumentException(option + " " + file + " holds a " + kind + "; give an unencrypted PKCS#8 key"
                    + " (BEGIN PRIVATE KEY), e.g. from: openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName());
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": the key's base64 is damaged: " + e.getMessage());
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + " " + file + " is not a " + algorithm
                    + " private key, as the certificate's public key is: " + e.getMessage());
        }
    }

    /** Whether {@code key} makes signatures that {@code certificate}'s public key verifies: the two are a pair. */
    static boolean signs(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the algorithm is the signature
        };
        try {
            byte[] probe = "bpf-globals key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String read(Path file, String option) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(option + " " + file + " is over " + MAX_BYTES + " bytes; not a PEM file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage());
        }
    }
}

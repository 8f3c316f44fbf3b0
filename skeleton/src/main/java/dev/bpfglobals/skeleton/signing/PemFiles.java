package dev.bpfglobals.skeleton.signing;

import dev.bpfglobals.skeleton.SkeletonException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the signer's PEM files: an unencrypted PKCS#8 private key and an X.509 certificate. */
public final class PemFiles {

    /** A PEM key or certificate is a few KiB; anything far larger is the wrong file. */
    private static final long MAX_FILE_SIZE = 1 << 20;

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private PemFiles() {
    }

    /**
     * The private key in {@code file} ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC).
     *
     * @param file a PEM file
     * @return the key
     * @throws IOException       if the file cannot be read
     * @throws SkeletonException naming what the file holds instead
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        byte[] der = block(file, "PRIVATE KEY", "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the PKCS#8 names its algorithm; the other factory reads it
            }
        }
        throw new SkeletonException(file + " holds a private key that is neither RSA nor EC; the kernel checks RSA or ECDSA signatures");
    }

    /**
     * The X.509 certificate in {@code file} ({@code -----BEGIN CERTIFICATE-----}).
     *
     * @param file a PEM file
     * @return the certificate
     * @throws IOException       if the file cannot be read
     * @throws SkeletonException if it holds no readable certificate
     */
    public static X509Certificate certificate(Path file) throws IOException {
        byte[] der = block(file, "CERTIFICATE", "");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new SkeletonException(file + " holds no readable X.509 certificate: " + e.getMessage());
        }
    }

    private static byte[] block(Path file, String type, String advice) throws IOException {
        if (Files.size(file) > MAX_FILE_SIZE) {
            throw new SkeletonException(file + " is over " + MAX_FILE_SIZE + " bytes: not a PEM key or certificate");
        }
        // Bytes as Latin-1: a DER file, or a PEM with openssl's UTF-8 "Bag Attributes" header, still
        // reads, and is then refused for what it holds rather than for an undecodable byte.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Matcher matcher = BLOCK.matcher(text);
        String found = null;
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                try {
                    return Base64.getMimeDecoder().decode(matcher.group(2));
                } catch (IllegalArgumentException e) {
                    throw new SkeletonException(file + ": its PEM '" + type + "' block is not base64: " + e.getMessage());
                }
            }
            found = found == null ? matcher.group(1) : found;
        }
        throw new SkeletonException(file + " holds no PEM '" + type + "' block"
                + (found == null ? "" : " (it holds '" + found + "')") + advice);
    }
}

package dev.bpfglobals.skeleton.testing;

import dev.bpfglobals.runtime.testing.ChildJvms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A signer made at test time with the JDK's keytool: a fresh key pair and its self-signed X.509
 * certificate, also written as the PEM files {@code gen skeleton --sign-key/--sign-cert} read.
 *
 * @param key         the private key
 * @param certificate the self-signed certificate
 * @param keyPem      the key as an unencrypted PKCS#8 PEM file
 * @param certPem     the certificate as a PEM file
 */
public record SigningKeys(PrivateKey key, X509Certificate certificate, Path keyPem, Path certPem) {

    private static final char[] PASSWORD = "test-only".toCharArray();

    /** A new {@code algorithm} ({@code RSA} or {@code EC}) signer named {@code name}, its files under {@code dir}. */
    public static SigningKeys make(Path dir, String name, String algorithm) throws IOException, InterruptedException,
            GeneralSecurityException {
        Files.createDirectories(dir);
        Path store = dir.resolve(name + ".p12");
        Files.deleteIfExists(store);
        List<String> command = ChildJvms.tool("keytool");
        command.addAll(List.of("-genkeypair", "-alias", name, "-keyalg", algorithm,
                "-keysize", algorithm.equals("EC") ? "256" : "2048", "-sigalg", algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA",
                "-dname", "CN=bpf-globals test signer " + name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        // Under the kernel matrix's emulated CPUs (qemu TCG) a child JVM has crashed now and then in its own
        // compiled code (SIGSEGV in SHA2, SIGILL in javac), never on real CPUs: keytool runs with the test
        // JVM's options (C1 only there), and a crashed keytool is run again.
        String output = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            Files.deleteIfExists(store);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                break;
            }
            if (!output.contains("A fatal error has been detected by the Java Runtime Environment") || attempt == 3) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD);
        X509Certificate certificate = (X509Certificate) keys.getCertificate(name);
        Path keyPem = Files.writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Path certPem = Files.writeString(dir.resolve(name + ".cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        return new SigningKeys(key, certificate, keyPem, certPem);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A signer made at test time with the openssl tool, independent of the project's own PKCS#7 writer:
 * a fresh RSA key and self-signed X.509 certificate ({@code openssl req -x509}), and detached
 * signatures in the form the kernel checks BPF programs with
 * ({@code openssl cms -sign -binary -noattr -nocerts -md sha256 -outform DER}).
 *
 * @param dir  where its files are
 * @param key  the private key, PEM
 * @param cert the certificate, PEM
 */
public record OpensslSigner(Path dir, Path key, Path cert) {

    /** A new signer named {@code name} under {@code dir}. */
    public static OpensslSigner make(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path key = dir.resolve(name + ".key.pem");
        Path cert = dir.resolve(name + ".cert.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-subj", "/CN=bpf-globals test signer " + name, "-keyout", key.toString(), "-out", cert.toString()));
        return new OpensslSigner(dir, key, cert);
    }

    /** {@return the certificate, DER} */
    public byte[] certificateDer() throws IOException, InterruptedException {
        Path der = dir.resolve(cert.getFileName() + ".der");
        run(List.of("openssl", "x509", "-in", cert.toString(), "-outform", "DER", "-out", der.toString()));
        return Files.readAllBytes(der);
    }

    /** {@return the detached PKCS#7 signature of {@code content}, DER} */
    public byte[] sign(byte[] content) throws IOException, InterruptedException {
        Path in = Files.write(dir.resolve("content.bin"), content);
        Path out = dir.resolve("content.p7s");
        run(List.of("openssl", "cms", "-sign", "-binary", "-noattr", "-nocerts", "-md", "sha256", "-outform", "DER",
                "-signer", cert.toString(), "-inkey", key.toString(), "-in", in.toString(), "-out", out.toString()));
        return Files.readAllBytes(out);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}

package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gen skeleton --sign-key/--sign-cert}: the two go together, and only with {@code --light}; each mistake is one line. */
class GenSigningUsageTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void aKeyWithoutItsCertificateIsAUsageError() throws Exception {
        Path object = BpfObjects.compileRuntimeVariant("global_percpu_data", "compat", "-DCOMPAT");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
        assertThat(run("gen", "skeleton", object.toString(), "--package", "p", "--out", dir.toString(), "--light", "--sign-key",
                key.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals gen: --sign-key and --sign-cert go together: the key signs,"
                + " the certificate names the signer");
    }

    @Test
    void signingWithoutLightIsRefusedInOneLine() throws Exception {
        Path object = BpfObjects.compileRuntimeVariant("global_percpu_data", "compat", "-DCOMPAT");
        Path key = Files.writeString(dir.resolve("key.pem"), "unused");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "unused");
        assertThat(run("gen", "skeleton", object.toString(), "--package", "p", "--out", dir.toString(), "--sign-key",
                key.toString(), "--sign-cert", cert.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: a signing key signs the light loader: generate the skeleton with --light\n");
    }
}

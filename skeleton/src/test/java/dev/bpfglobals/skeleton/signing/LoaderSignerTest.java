package dev.bpfglobals.skeleton.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.skeleton.SkeletonException;
import dev.bpfglobals.skeleton.testing.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK-made PKCS#7 signature, read back by an independent implementation (openssl): a detached
 * SignedData over the content, SHA-256, no signed attributes and no certificates, the signer named by
 * issuer and serial number; and a changed content fails its verification. No kernel involved.
 */
class LoaderSignerTest {

    private static final Path DIR = Path.of("target/signing/unit");

    private static SigningKeys rsa;
    private static SigningKeys ec;
    private static SigningKeys otherRsa;

    /** Three signers for the class: keytool is slow under emulation, so each is made once. */
    @BeforeAll
    static void makeSigners() throws Exception {
        rsa = SigningKeys.make(DIR, "unit-rsa", "RSA");
        ec = SigningKeys.make(DIR, "unit-ec", "EC");
        otherRsa = SigningKeys.make(DIR, "unit-other", "RSA");
    }

    @Test
    void anRsaSignatureVerifiesWithOpensslAndHasTheFormTheKernelParses() throws Exception {
        assertOpensslVerifies(rsa, "rsaEncryption");
    }

    @Test
    void anEcdsaSignatureVerifiesWithOpenssl() throws Exception {
        assertOpensslVerifies(ec, "ecdsa-with-SHA256");
    }

    @Test
    void aChangedContentFailsVerification() throws Exception {
        SigningKeys keys = rsa;
        byte[] content = "the loader's instructions and data".getBytes(StandardCharsets.US_ASCII);
        Path signature = Files.write(DIR.resolve("changed.p7s"), LoaderSigner.sign(content, keys.key(), keys.certificate()));
        content[0] ^= 1;
        Path data = Files.write(DIR.resolve("changed.bin"), content);
        assertThat(openssl(List.of("cms", "-verify", "-binary", "-inform", "DER", "-in", signature.toString(), "-content", data.toString(),
                "-certfile", keys.certPem().toString(), "-CAfile", keys.certPem().toString(), "-purpose", "any", "-out", "/dev/null")).exit())
                .isNotZero();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingIt() throws Exception {
        assertThatThrownBy(() -> LoaderSigner.sign(new byte[] {1}, rsa.key(), otherRsa.certificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the signing key does not belong to the certificate CN=bpf-globals test signer unit-other");
    }

    @Test
    void aTraditionalRsaPemIsRefusedWithTheConversion() throws Exception {
        Path pem = Files.writeString(Files.createDirectories(DIR).resolve("traditional.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(pem)).isInstanceOf(SkeletonException.class)
                .hasMessage(pem + " holds no PEM 'PRIVATE KEY' block (it holds 'RSA PRIVATE KEY'); convert it with: openssl pkcs8 -topk8"
                        + " -nocrypt -in " + pem);
    }

    @Test
    void aDerCertificateGivenAsPemIsRefusedForWhatItHolds() throws Exception {
        // DER bytes (0x30 0x82 ...) are not ASCII; they must not end in "Input length = 1".
        Path der = Files.write(Files.createDirectories(DIR).resolve("cert.der"), rsa.certificate().getEncoded());

        assertThatThrownBy(() -> PemFiles.certificate(der)).isInstanceOf(SkeletonException.class)
                .hasMessage(der + " holds no PEM 'CERTIFICATE' block");
    }

    @Test
    void aPemBlockThatIsNotBase64IsRefusedNamingTheFile() throws Exception {
        Path pem = Files.writeString(Files.createDirectories(DIR).resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nQQ=A\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.certificate(pem)).isInstanceOf(SkeletonException.class)
                .hasMessageStartingWith(pem + ": its PEM 'CERTIFICATE' block is not base64: ");
    }

    @Test
    void aFileFarLargerThanAKeyIsRefusedUnread() throws Exception {
        Path huge = Files.createDirectories(DIR).resolve("huge.pem");
        try (var out = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), 8L << 20); // 8 MiB, sparse
        }

        assertThatThrownBy(() -> PemFiles.privateKey(huge)).isInstanceOf(SkeletonException.class)
                .hasMessage(huge + " is over 1048576 bytes: not a PEM key or certificate");
    }

    private static void assertOpensslVerifies(SigningKeys keys, String algorithm) throws Exception {
        byte[] content = new byte[4096];
        new java.util.Random(7).nextBytes(content);
        Path data = Files.write(DIR.resolve(algorithm + ".bin"), content);
        byte[] der = LoaderSigner.sign(content, PemFiles.privateKey(keys.keyPem()), PemFiles.certificate(keys.certPem()));
        Path signature = Files.write(DIR.resolve(algorithm + ".p7s"), der);
        Result verify = openssl(List.of("cms", "-verify", "-binary", "-inform", "DER", "-in", signature.toString(), "-content",
                data.toString(), "-certfile", keys.certPem().toString(), "-CAfile", keys.certPem().toString(), "-purpose", "any",
                "-out", "/dev/null"));
        assertThat(verify.exit()).as(verify.output()).isZero();
        String printed = openssl(List.of("cms", "-cmsout", "-print", "-inform", "DER", "-in", signature.toString())).output();
        assertThat(printed).contains("contentType: pkcs7-signedData", "eContentType: pkcs7-data", "eContent: <ABSENT>",
                "d.issuerAndSerialNumber", "algorithm: sha256", algorithm)
                .containsPattern("certificates:\\s+<ABSENT>").containsPattern("signedAttrs:\\s+<ABSENT>");
    }

    private record Result(int exit, String output) {
    }

    private static Result openssl(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return new Result(process.exitValue(), output);
    }
}

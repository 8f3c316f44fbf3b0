package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.LoadOptions;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.LoaderSignature;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.Keyrings;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.PerCpuSnapshots;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.signing.SigningFiles;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import dev.bpfglobals.skeleton.testing.SigningKeys;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A skeleton generated as {@code gen skeleton --light --sign-key KEY.pem --sign-cert CERT.pem} makes it,
 * with a key pair made here by keytool and signed by the project's own PKCS#7 writer: its
 * {@code Spec.load(keyringId)} loads the light loader as a signed BPF program. Where the leg states
 * {@code signed-prog}, the kernel verifies it against a user keyring holding the certificate and every
 * CPU holds what the normal load gives; an object whose data differs from what was signed, and a
 * keyring without the certificate, are refused naming the keyring. Elsewhere the load is refused
 * naming what the kernel lacks.
 */
@RequiresBpf
class SignedSkeletonTest {

    private static final String CLASS = "signedlight.SignedPercpu";

    private static Path object;
    private static SigningKeys signer;
    private static GeneratedSkeletons skeletons;
    private static int keyring;
    private static int emptyKeyring;

    @BeforeAll
    static void generateAndTrust() throws Exception {
        object = BpfObjects.compileRuntimeVariant("global_percpu_data", "compat", "-DCOMPAT");
        Files.createDirectories(Path.of("target/signing"));
        Path renamed = Files.copy(object, Path.of("target/signing/signed_percpu.bpf.o"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        signer = SigningKeys.make(Path.of("target/signing"), "skeleton-signed-light", "RSA");
        skeletons = GeneratedSkeletons.build("signedlight", true, new SigningFiles(signer.keyPem(), signer.certPem()), renamed);
        String unique = "bpfglobals-skeleton-signed-" + ProcessHandle.current().pid();
        keyring = Keyrings.newKeyring(unique);
        Keyrings.addCertificate(keyring, signer.certificate().getEncoded());
        emptyKeyring = Keyrings.newKeyring(unique + "-empty");
    }

    @AfterAll
    static void dropKeyrings() {
        Keyrings.invalidate(keyring);
        Keyrings.invalidate(emptyKeyring);
    }

    @Test
    void theSignatureShipsBesideTheClassAndTheSpecLoadsWithAKeyring() throws Exception {
        Path signature = Path.of("target/skeletons/signedlight/classes/signedlight/SignedPercpu.loader.p7s");
        assertThat(signature).isNotEmptyFile();
        assertThat(Files.readString(Path.of("target/skeletons/signedlight/src/signedlight/SignedPercpu.java")))
                .contains("LOADER_SIGNATURE_RESOURCE = \"SignedPercpu.loader.p7s\"", "public SignedPercpu load(int keyringId)",
                        "with.loadLight(options, new LoaderSignature(in.readAllBytes(), keyringId))");
    }

    @Test
    void theGeneratedSignedLoadHoldsTheNormalLoadsValuesWhereTheLegHasSignedPrograms() throws Exception {
        if (!KernelExpectations.has(KernelExpectations.Feature.SIGNED_PROG)) {
            assertThatThrownBy(() -> signedLoad(keyring)).isInstanceOf(BpfException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("this kernel has no signed BPF programs",
                            "this kernel cannot verify signatures").doesNotContain("\n"));
            return;
        }
        Map<String, String> normal;
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(object))) {
            normal = PerCpuSnapshots.everyCpu(loaded);
        }
        try (AutoCloseable skeleton = signedLoad(keyring)) {
            LoadedObject loaded = (LoadedObject) skeleton.getClass().getMethod("loaded").invoke(skeleton);
            assertThat(PerCpuSnapshots.everyCpu(loaded)).isEqualTo(normal);
        }
    }

    @Test
    void dataThatDiffersFromWhatWasSignedIsRefusedNamingTheKeyring() throws Exception {
        byte[] signature = Files.readAllBytes(Path.of("target/skeletons/signedlight/classes/signedlight/SignedPercpu.loader.p7s"));
        ObjectSpec spec = ObjectSpec.open(object);
        byte[] image = spec.globalSection(".percpu").orElseThrow().initialImage();
        image[0] ^= 1;
        ObjectSpec changed = spec.withGlobalImage(".percpu", image);
        SignedLightLoadAssertions.assertNotVerified(
                () -> changed.loadLight(LoadOptions.defaults(), new LoaderSignature(signature, keyring)).close(), "EKEYREJECTED", keyring);
    }

    @Test
    void aKeyringWithoutTheSignersCertificateIsRefusedNamingIt() {
        SignedLightLoadAssertions.assertNotVerified(() -> {
            try {
                signedLoad(emptyKeyring).close();
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }, "ENOKEY", emptyKeyring);
    }

    /** {@code SignedPercpu.open().load(keyringId)}, as an application calls it; the kernel's refusal unwrapped. */
    private static AutoCloseable signedLoad(int keyringId) throws Exception {
        Class<?> type = skeletons.type(CLASS);
        Object spec = type.getMethod("open").invoke(null);
        try {
            return (AutoCloseable) spec.getClass().getMethod("load", int.class).invoke(spec, keyringId);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}

package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.light.LightMap;
import dev.bpfglobals.runtime.internal.light.LoaderBuilder;
import dev.bpfglobals.runtime.internal.light.LoaderProgram;
import dev.bpfglobals.runtime.internal.light.LoaderStep;
import dev.bpfglobals.runtime.internal.light.SignedLoader;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.Keyrings;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.OpensslSigner;
import dev.bpfglobals.runtime.testing.PerCpuSnapshots;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A light loader loaded as a signed BPF program ({@link ObjectSpec#loadLight(LoadOptions, LoaderSignature)}),
 * signed with {@code openssl cms} by a key pair made here and checked against a user keyring holding
 * its certificate. Where the leg states {@code signed-prog}: every CPU holds what a normal load gives
 * and the programs count as mainline asserts; a loader with one instruction changed, one with its
 * data changed, and a keyring without the certificate are each refused naming the keyring. Elsewhere
 * the signed load is refused naming what the kernel lacks.
 */
@RequiresBpf
class SignedLightLoadTest {

    private static ObjectSpec object;
    private static byte[] signature;
    private static int keyring;
    private static int emptyKeyring;

    @BeforeAll
    static void signAndTrust() throws Exception {
        object = GlobalPercpuDataTest.compatForm();
        OpensslSigner signer = OpensslSigner.make(Path.of("target/signing"), "runtime-signed-light");
        signature = signer.sign(LoaderSignature.signedContent(object));
        String unique = "bpfglobals-runtime-signed-" + ProcessHandle.current().pid();
        keyring = Keyrings.newKeyring(unique);
        Keyrings.addCertificate(keyring, signer.certificateDer());
        emptyKeyring = Keyrings.newKeyring(unique + "-empty");
    }

    @AfterAll
    static void dropKeyrings() {
        Keyrings.invalidate(keyring);
        Keyrings.invalidate(emptyKeyring);
    }

    @Test
    void aSignedLoadHoldsTheNormalLoadsPerCpuValuesAndCountsWhereTheLegHasSignedPrograms() throws Exception {
        LoaderSignature signed = new LoaderSignature(signature, keyring);
        if (!KernelExpectations.has(KernelExpectations.Feature.SIGNED_PROG)) {
            assertLacksSignedPrograms(() -> object.loadLight(LoadOptions.defaults(), signed).close());
            return;
        }
        Map<String, String> normal;
        try (LoadedObject loaded = LoadedObject.load(object)) {
            normal = PerCpuSnapshots.everyCpu(loaded);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults(), signed)) {
            assertThat(PerCpuSnapshots.everyCpu(light)).isEqualTo(normal);
            GlobalPercpuDataTest.runOnEveryCpuAndCheck(light, object);
        }
    }

    @Test
    void theSignedLoaderIsBuiltForTheAllCpusFillWithoutACpuCount() {
        LoaderProgram loader = LoaderBuilder.build(SignedLightLoads.plan(object, LoadOptions.defaults()).plan());
        List<String> percpu = SignedLightLoads.plan(object, LoadOptions.defaults()).plan().maps().stream()
                .filter(LightMap::perCpu).map(LightMap::name).toList();
        assertThat(loader.steps(LoaderStep.Kind.MAP_UPDATE).stream().filter(s -> percpu.contains(s.subject())))
                .hasSize(2).allSatisfy(step -> assertThat(step.updateFlags()).as(step.describe()).isEqualTo(16));
        assertThat(LoaderSignature.signedContent(object)).isEqualTo(SignedLoader.signedContent(loader));
    }

    @Test
    void aLoaderWithOneInstructionChangedIsRefusedNamingTheKeyring() {
        LoaderProgram loader = signedLoader();
        long[] instructions = loader.instructions();
        instructions[0] ^= 1L << 32; // the first instruction's immediate, one bit
        LoaderProgram tampered = new LoaderProgram(instructions, loader.blob(), loader.context(), loader.steps(),
                loader.mapNames(), loader.programNames());
        assertNotVerified(() -> SignedLoader.load(tampered, signature, keyring).close(), Errno.EKEYREJECTED, keyring);
    }

    @Test
    void aLoaderWithItsDataChangedIsRefusedNamingTheKeyring() {
        LoaderProgram loader = signedLoader();
        byte[] blob = loader.blob();
        blob[blob.length - 1] ^= 1;
        LoaderProgram tampered = new LoaderProgram(loader.instructions(), blob, loader.context(), loader.steps(),
                loader.mapNames(), loader.programNames());
        assertNotVerified(() -> SignedLoader.load(tampered, signature, keyring).close(), Errno.EKEYREJECTED, keyring);
    }

    @Test
    void aKeyringWithoutTheSignersCertificateIsRefusedNamingIt() {
        assertNotVerified(() -> object.loadLight(LoadOptions.defaults(), new LoaderSignature(signature, emptyKeyring)).close(),
                Errno.ENOKEY, emptyKeyring);
    }

    private static LoaderProgram signedLoader() {
        return LoaderBuilder.build(SignedLightLoads.plan(object, LoadOptions.defaults()).plan());
    }

    static void assertNotVerified(Runnable load, Errno errno, int keyringId) {
        if (!KernelExpectations.has(KernelExpectations.Feature.SIGNED_PROG)) {
            assertLacksSignedPrograms(load);
            return;
        }
        String meaning = errno == Errno.ENOKEY ? "no key in that keyring is the signer's"
                : "it does not match the loader's instructions and data under the signer's key; the loader is built against"
                        + " the machine that builds it, so one signed on a machine whose kernel differs (BTF support, page size,"
                        + " possible CPUs, kconfig values, weak kernel symbols) differs from the one loaded here";
        assertThatThrownBy(load::run).isInstanceOf(BpfException.class)
                .hasMessage("BPF_PROG_LOAD failed with " + errno + " (signed light skeleton loader, keyring " + keyringId
                        + "): the signature did not verify against keyring " + keyringId + " (" + errno + ": " + meaning + ")");
    }

    /** A leg without signed programs: its kernel lacks the fields, or cannot verify signatures; one line either way. */
    static void assertLacksSignedPrograms(Runnable load) {
        assertThatThrownBy(load::run).satisfies(e -> System.out.println("signed load refused: " + e.getMessage())).isInstanceOf(BpfException.class)
                .hasMessageStartingWith("BPF_PROG_LOAD failed with ")
                .hasMessageContaining("(signed light skeleton loader, keyring ")
                .hasMessageNotContaining("\n")
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("this kernel has no signed BPF programs",
                        "this kernel cannot verify signatures"));
    }
}

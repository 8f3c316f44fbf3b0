package dev.bpfglobals.cli;

import dev.bpfglobals.skeleton.SkeletonWriter;
import dev.bpfglobals.skeleton.signing.SigningFiles;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gen skeleton OBJ.o --package P --out DIR}: the C-first direction. Writes one Java class for
 * a compiled BPF object, whatever wrote it (libbpf-bootstrap, bcc's libbpf-tools, mainline's
 * selftests), as {@code bpftool gen skeleton} does for C: records named from the object's BTF,
 * typed section views, map and program handles, and the object beside the class as a resource.
 */
@Command(name = "gen", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals gen skeleton OBJ.o --package P --out DIR [--name NAME] [--light [--sign-key KEY.pem --sign-cert CERT.pem]]",
        description = {"Generates typed Java for a compiled BPF object: its skeleton.",
                "",
                "One class per object: a record per struct and enum its globals and maps use (named from"
                + " its BTF), a view per global section (per CPU for the per-CPU ones), set before load and"
                + " read or written after, typed map handles, a handle per"
                + " program with its section's attach, and the object itself as a class-path resource"
                + " beside the class, so that open() needs no file. Opening another object than the one"
                + " it was generated from names the first difference. See docs/skeletons.md."},
        footer = {"", "Example:", "  bpf-globals gen skeleton minimal.bpf.o --package demo --out src/main/java"})
final class GenCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "skeleton", description = "What to generate: skeleton, the only kind.")
    private String kind;

    @Parameters(index = "1", paramLabel = "OBJ.o", description = "The BPF object file, compiled with -g (BTF).")
    private Path object;

    @Option(names = "--package", paramLabel = "P", required = true, description = "The Java package of the class.")
    private String packageName;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Where the class and the object go, under the package's directories.")
    private Path out;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The class's simple name (default: from the file name, test_maps.bpf.o is TestMaps).")
    private String name;

    @Option(names = "--light", description = "The class loads through a light skeleton's loader (one BPF_PROG_TYPE_SYSCALL"
            + " program built at open that creates the maps and loads the programs) instead of the normal load.")
    private boolean light;

    @Option(names = "--sign-key", paramLabel = "KEY.pem", description = "With --light: sign the loader now with this"
            + " unencrypted PKCS#8 PEM key (RSA or EC); the signature goes beside the class and Spec.load(keyringId) loads"
            + " it as a signed BPF program (Linux 6.18+). Needs --sign-cert.")
    private Path signKey;

    @Option(names = "--sign-cert", paramLabel = "CERT.pem", description = "The PEM X.509 certificate of --sign-key,"
            + " the one the loading machine's keyring holds.")
    private Path signCert;

    @Override
    public Integer call() throws Exception {
        if (!kind.equals("skeleton")) {
            throw usage("gen knows one kind, skeleton, not '" + kind + "'");
        }
        if ((signKey == null) != (signCert == null)) {
            throw usage("--sign-key and --sign-cert go together: the key signs, the certificate names the signer");
        }
        SigningFiles signing = signKey == null ? null
                : new SigningFiles(InputFiles.requireFile(signKey), InputFiles.requireFile(signCert));
        SkeletonWriter.Written written = SkeletonWriter.write(InputFiles.requireFile(object), packageName, name, out, out, light,
                signing);
        out().println(Printable.message("wrote " + written.className() + " (" + written.source() + ") and its object "
                + written.resource() + (signing == null ? "" : ", its loader signed")));
        return 0;
    }
}

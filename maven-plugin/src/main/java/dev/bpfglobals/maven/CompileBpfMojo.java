package dev.bpfglobals.maven;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.runtime.BpfFormatException;
import dev.bpfglobals.runtime.ObjectSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code src/main/bpf/*.bpf.c} with clang against the headers the bpf-globals
 * processor generated, writes the objects where they become class path resources
 * ({@code target/classes/bpf/NAME.bpf.o}, read with {@code ObjectSpec.openResource("bpf/NAME.bpf.o")}),
 * then checks every object there against every record contract it shares globals with and fails
 * the build on drift. Bound to {@code process-classes}: after javac has run the processor.
 */
@Mojo(name = "compile-bpf", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public class CompileBpfMojo extends AbstractMojo {

    private static final String SOURCE_SUFFIX = ".bpf.c";

    /** Made by Maven, which then sets the parameters below from the plugin's configuration. */
    public CompileBpfMojo() {
    }

    /** Where the BPF C sources are: every {@code *.bpf.c} directly in it is compiled. */
    @Parameter(property = "bpfglobals.sourceDirectory", defaultValue = "${project.basedir}/src/main/bpf")
    File sourceDirectory;

    /** Where the generated headers are: the class output, or the processor's {@code -Abpfglobals.headerDir}. */
    @Parameter(property = "bpfglobals.headerDirectory", defaultValue = "${project.build.outputDirectory}/META-INF/bpf-globals")
    File headerDirectory;

    /** Where the generated contracts ({@code <record>.json}) are; the processor writes them to the class output only. */
    @Parameter(property = "bpfglobals.contractDirectory", defaultValue = "${project.build.outputDirectory}/META-INF/bpf-globals")
    File contractDirectory;

    /** Where the objects go; the default makes them class path resources under {@code bpf/}. */
    @Parameter(property = "bpfglobals.outputDirectory", defaultValue = "${project.build.outputDirectory}/bpf")
    File outputDirectory;

    /**
     * {@code compat} ({@code NAME.bpf.o} with {@code -DBPF_GLOBALS_COMPAT}, for any kernel),
     * {@code native} ({@code NAME.bpf.o} addressing {@code .percpu} directly, for kernels with
     * global per-CPU data) or {@code both} ({@code NAME.bpf.o} compat and {@code NAME.native.bpf.o} native).
     */
    @Parameter(property = "bpfglobals.mode", defaultValue = "compat")
    String mode;

    /** The clang executable: a name on the PATH or a path. */
    @Parameter(property = "bpfglobals.clang", defaultValue = "clang")
    String clang;

    /** More include directories, searched after the generated headers and before the multiarch directory. */
    @Parameter
    List<File> includes = new ArrayList<>();

    /** More clang arguments (e.g. {@code -Werror}, {@code -DDEBUG}), placed before {@code -c}. */
    @Parameter
    List<String> clangArguments = new ArrayList<>();

    /** Whether to check the objects against the contracts and fail the build on drift. */
    @Parameter(property = "bpfglobals.checkContracts", defaultValue = "true")
    boolean checkContracts = true;

    /** Skips the goal entirely. */
    @Parameter(property = "bpfglobals.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bpf-globals: skipped");
            return;
        }
        try {
            Map<Path, List<String>> built = compileAll();
            if (checkContracts) {
                checkAll(built);
            }
        } catch (BuildFailure e) {
            throw new MojoFailureException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("bpf-globals: " + e.getMessage(), e);
        }
    }

    /** Compiles every source in every build of the mode; returns each object with the command that built it. */
    private Map<Path, List<String>> compileAll() throws BuildFailure, IOException {
        List<Path> sources = sources();
        Map<Path, List<String>> built = new HashMap<>();
        if (sources.isEmpty()) {
            getLog().info("bpf-globals: no *" + SOURCE_SUFFIX + " in " + sourceDirectory);
            return built;
        }
        BpfMode builds = parseMode(mode);
        getLog().info("bpf-globals: " + Clang.checkVersion(clang));
        if (!headerDirectory.isDirectory()) {
            getLog().warn("bpf-globals: no generated headers in " + headerDirectory + ": the annotation processor did not"
                    + " run (on JDK 23+ javac needs -proc:full, or bpf-globals-processor in annotationProcessorPaths)");
        }
        ClangCommand command = clangCommand();
        Path out = Files.createDirectories(outputDirectory.toPath());
        for (Path source : sources) {
            String name = source.getFileName().toString();
            name = name.substring(0, name.length() - SOURCE_SUFFIX.length());
            for (BpfMode.Build build : builds.builds()) {
                Path object = out.resolve(build.objectName(name));
                List<String> arguments = command.arguments(source, object, build);
                Clang.Result result = Clang.run(arguments);
                if (result.exitCode() != 0) {
                    throw new BuildFailure("bpf-globals: clang failed on " + source + " (" + build.describe() + " build):\n"
                            + result.output().stripTrailing() + "\nCommand: " + ClangCommand.shellLine(arguments) + "\n"
                            + Clang.hint(result.output()).strip());
                }
                if (!result.output().isBlank()) {
                    getLog().warn(result.output().stripTrailing());
                }
                built.put(object, arguments);
                getLog().info("bpf-globals: compiled " + source.getFileName() + " -> " + object + " (" + build.describe() + ")");
            }
        }
        return built;
    }

    /** Checks every object in the output directory against the contracts it shares globals with. */
    private void checkAll(Map<Path, List<String>> built) throws BuildFailure, IOException {
        List<DriftCheck.Contract> contracts = DriftCheck.readContracts(contractDirectory.toPath());
        List<Path> objects = objects();
        StringBuilder failures = new StringBuilder();
        int checks = 0;
        for (Path file : objects) {
            ObjectSpec object;
            try {
                object = ObjectSpec.open(file);
            } catch (BpfFormatException e) {
                throw new BuildFailure("bpf-globals: " + e.getMessage());
            }
            List<DriftCheck.Contract> applicable = DriftCheck.applicable(object, contracts);
            if (applicable.isEmpty() && !object.globalSections().isEmpty()) {
                getLog().info("bpf-globals: " + file.getFileName() + " shares no global with any record's contract; not checked");
            }
            for (DriftCheck.Contract contract : applicable) {
                checks++;
                ContractReport report = object.checkAgainst(contract.contract());
                if (!report.matches()) {
                    List<String> rebuild = built.get(file);
                    failures.append(DriftCheck.describe(new DriftCheck.Drift(file, contract, report),
                            headerDirectory.toPath(), rebuild == null ? "" : ClangCommand.shellLine(rebuild)));
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new BuildFailure(failures.toString().stripTrailing());
        }
        getLog().info("bpf-globals: " + objects.size() + " object(s) match their records (" + checks + " check(s) against "
                + contracts.size() + " contract(s))");
    }

    ClangCommand clangCommand() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(headerDirectory.toPath());
        includes.forEach(f -> dirs.add(f.toPath()));
        Path multiarch = ClangCommand.multiarchIncludeDir(System.getProperty("os.arch"));
        if (Files.isDirectory(multiarch)) {
            dirs.add(multiarch);
        } else {
            getLog().warn("bpf-globals: " + multiarch + " does not exist; clang may not find <asm/types.h>"
                    + " (Debian: apt-get install linux-libc-dev, or name the directory in <includes>)");
        }
        return new ClangCommand(clang, dirs, clangArguments);
    }

    static BpfMode parseMode(String mode) throws BuildFailure {
        try {
            return BpfMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BuildFailure("bpf-globals: <mode> is '" + mode + "'; it takes compat, native or both");
        }
    }

    private List<Path> sources() throws IOException {
        return list(sourceDirectory.toPath(), SOURCE_SUFFIX);
    }

    private List<Path> objects() throws IOException {
        return list(outputDirectory.toPath(), ".o");
    }

    private static List<Path> list(Path directory, String suffix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f)).sorted().toList();
        }
    }
}

package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clang command lines the plugin runs, and the object names of each mode. */
class ClangCommandTest {

    private final ClangCommand command = new ClangCommand("clang",
            List.of(Path.of("target/classes/META-INF/bpf-globals"), Path.of("/usr/include/x86_64-linux-gnu")), List.of("-Werror"));

    @Test
    void aCompatBuildDefinesBpfGlobalsCompatAndSearchesTheGeneratedHeadersFirst() {
        List<String> arguments = command.arguments(Path.of("src/main/bpf/flow.bpf.c"), Path.of("target/classes/bpf/flow.bpf.o"),
                BpfMode.COMPAT.builds().getFirst());

        assertThat(arguments).containsExactly("clang", "-O2", "-g", "-target", "bpf", "-Wall", "-DBPF_GLOBALS_COMPAT",
                "-Itarget/classes/META-INF/bpf-globals", "-I/usr/include/x86_64-linux-gnu", "-Werror",
                "-c", "src/main/bpf/flow.bpf.c", "-o", "target/classes/bpf/flow.bpf.o");
    }

    @Test
    void aNativeBuildLeavesBpfGlobalsCompatUndefined() {
        List<String> arguments = command.arguments(Path.of("a.bpf.c"), Path.of("a.bpf.o"), BpfMode.NATIVE.builds().getFirst());

        assertThat(arguments).doesNotContain("-DBPF_GLOBALS_COMPAT").contains("-g", "-target", "bpf");
    }

    @Test
    void modeBothNamesTheCompatObjectNameBpfOAndTheNativeOneNameNativeBpfOAsBuildShDoes() {
        assertThat(BpfMode.BOTH.builds()).extracting(b -> b.objectName("xdp_stats"), BpfMode.Build::compat)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("xdp_stats.bpf.o", true),
                        org.assertj.core.groups.Tuple.tuple("xdp_stats.native.bpf.o", false));
    }

    @Test
    void aSingleModeWritesNameBpfOSoTheResourceNameDoesNotDependOnTheMode() {
        assertThat(BpfMode.COMPAT.builds()).extracting(b -> b.objectName("x")).containsExactly("x.bpf.o");
        assertThat(BpfMode.NATIVE.builds()).extracting(b -> b.objectName("x")).containsExactly("x.bpf.o");
    }

    @Test
    void modeIsReadCaseInsensitivelyAndABadOneNamesTheChoices() throws Exception {
        assertThat(CompileBpfMojo.parseMode("Both")).isEqualTo(BpfMode.BOTH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompileBpfMojo.parseMode("fast"))
                .hasMessage("bpf-globals: <mode> is 'fast'; it takes compat, native or both");
    }

    @Test
    void theMultiarchDirectoryIsUnameMachineLinuxGnu() {
        assertThat(ClangCommand.multiarchIncludeDir("amd64")).isEqualTo(Path.of("/usr/include/x86_64-linux-gnu"));
        assertThat(ClangCommand.multiarchIncludeDir("aarch64")).isEqualTo(Path.of("/usr/include/aarch64-linux-gnu"));
        assertThat(ClangCommand.multiarchIncludeDir("s390x")).isEqualTo(Path.of("/usr/include/s390x-linux-gnu"));
    }

    @Test
    void theShellLineQuotesOnlyWhatNeedsIt() {
        assertThat(ClangCommand.shellLine(List.of("clang", "-I/my dir", "-DNAME=\"x\"", "-c", "a.bpf.c")))
                .isEqualTo("clang '-I/my dir' '-DNAME=\"x\"' -c a.bpf.c");
    }
}

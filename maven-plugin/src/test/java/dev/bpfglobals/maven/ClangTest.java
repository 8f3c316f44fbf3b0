package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Finding and judging clang: one message per problem, saying what to install or set. */
class ClangTest {

    @Test
    void aRecentClangIsAcceptedAndItsVersionLineReported() throws Exception {
        assertThat(Clang.versionLine("clang", "Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\n"))
                .isEqualTo("Debian clang version 14.0.6");
    }

    @Test
    void aClangOlderThanTenIsRefusedNamingTheMinimumAndWhy() {
        assertThatThrownBy(() -> Clang.versionLine("clang", "clang version 9.0.1\n"))
                .isInstanceOf(BuildFailure.class)
                .hasMessageContaining("clang version 9.0.1 is too old: clang 10 or newer")
                .hasMessageContaining("-Dbpfglobals.clang=PATH");
    }

    @Test
    void somethingThatIsNotClangIsRefusedQuotingWhatItPrinted() {
        assertThatThrownBy(() -> Clang.versionLine("gcc", "gcc (Debian 12.2.0-14) 12.2.0\n"))
                .hasMessageContaining("'gcc --version' did not print a clang version: gcc (Debian 12.2.0-14) 12.2.0");
    }

    @Test
    void aMissingClangIsOneMessageSayingWhatToInstall() {
        assertThatThrownBy(() -> Clang.checkVersion("/nonexistent/clang-99"))
                .isInstanceOf(BuildFailure.class)
                .hasMessageStartingWith("bpf-globals: cannot run clang ('/nonexistent/clang-99'")
                .hasMessageContaining("apt-get install clang llvm libbpf-dev");
    }

    @Test
    void theInstalledClangPassesTheCheck() throws Exception {
        assertThat(Clang.checkVersion("clang")).contains("clang version");
    }

    @Test
    void aMissingAsmTypesHeaderPointsToTheMultiarchDirectory() {
        assertThat(Clang.hint("/usr/include/linux/types.h:5:10: fatal error: 'asm/types.h' file not found"))
                .contains("/usr/include/$(uname -m)-linux-gnu");
    }

    @Test
    void aMissingGeneratedHeaderSaysTheProcessorDidNotRun() {
        assertThat(Clang.hint("""
                src/main/bpf/flow.bpf.c:1:10: fatal error: 'com.example.Flow.h' file not found
                #include "com.example.Flow.h"
                """)).contains("annotation processor did not run").contains("-proc:full").contains("annotationProcessorPaths");
    }

    @Test
    void aMissingLibbpfHeaderNamesThePackage() {
        assertThat(Clang.hint("fatal error: 'bpf/bpf_helpers.h' file not found")).contains("libbpf-dev");
    }
}

package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Path;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headers of {@code @BpfStruct} records on real clang: a nested {@code @BpfStruct} keeps its own
 * tag inside another struct and inside a globals record, so a program can include all their headers
 * at once, and clang's layout is the one the static assertions state.
 */
class StructHeadersClangTest {

    private static final String ADDR = """
            package net;
            import dev.bpfglobals.annotations.*;
            @BpfStruct
            public record Addr(@Unsigned int ip, @Unsigned short port, Family family) {
                public enum Family { V4, V6 }
            }
            """;
    private static final String CONN = """
            package net;
            import dev.bpfglobals.annotations.*;
            @BpfStruct("conn_v1")
            public record Conn(Addr src, Addr dst, @Unsigned long opened) {}
            """;
    private static final String LAST = """
            package net;
            import dev.bpfglobals.annotations.*;
            public record Last(@PerCpu Addr seen, @PerCpu @Unsigned long count) {}
            """;

    @TempDir
    Path dir;

    private static String file(Compilation compilation, String binaryName) throws IOException {
        return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/bpf-globals/" + binaryName + ".h")
                .orElseThrow().getCharContent(true).toString();
    }

    @Test
    void aNestedBpfStructKeepsItsTagAndEveryHeaderCanBeIncludedTogether() throws Exception {
        Compilation compilation = StructDiagnosticsTest.compile(JavaFileObjects.forSourceString("net.Addr", ADDR),
                JavaFileObjects.forSourceString("net.Conn", CONN), JavaFileObjects.forSourceString("net.Last", LAST));
        assertThat(compilation).succeeded();
        String conn = file(compilation, "net.Conn");
        assertThat(conn).contains("struct conn_v1 {\n\tstruct addr src;\n\tstruct addr dst;\n\t__u64 opened;\n};")
                .contains("#ifndef BPF_GLOBALS_STRUCT_ADDR\n#define BPF_GLOBALS_STRUCT_ADDR\n")
                .contains("enum addr_family {");
        assertThat(file(compilation, "net.Last")).contains("struct addr seen;");
        for (String name : new String[] {"net.Addr", "net.Conn", "net.Last"}) {
            Clang.write(dir.resolve(name + ".h"), file(compilation, name));
        }
        Clang.write(dir.resolve("all.bpf.c"), """
                #include "net.Last.h"
                #include "net.Addr.h"
                #include "net.Conn.h"
                _Static_assert(sizeof(struct conn_v1) == 32, "conn_v1");
                _Static_assert(ADDR_FAMILY_V6 == 1, "family");
                struct conn_v1 seen_conn SEC(".data") = {};
                char LICENSE[] SEC("license") = "GPL";
                """);

        Clang.Result result = Clang.compile(dir, "all.bpf.c", "all.o", "BPF_GLOBALS_COMPAT");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}

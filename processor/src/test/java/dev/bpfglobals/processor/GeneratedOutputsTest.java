package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three outputs for the README's XdpStats record: accessor (golden file), header, contract. */
class GeneratedOutputsTest {

    private final Compiled compiled = Compiled.compile(XdpStatsExample.NAME, XdpStatsExample.SOURCE);

    @Test
    void accessorMatchesTheGoldenFile() throws IOException {
        assertThat(compiled.compilation).succeededWithoutWarnings();
        assertThat(compiled.compilation).generatedSourceFile("com.example.xdp.XdpStatsGlobals")
                .hasSourceEquivalentTo(JavaFileObjects.forSourceString("com.example.xdp.XdpStatsGlobals", golden()));
    }

    @Test
    void contractDescribesThePercpuMap() {
        String json = compiled.contract(XdpStatsExample.NAME);

        assertThat(json).contains("\"record\": \"com.example.xdp.XdpStats\"")
                .contains("\"name\": \".percpu\"", "\"mapType\": \"PERCPU_ARRAY\"", "\"keySize\": 4",
                        "\"valueSize\": 84", "\"maxEntries\": 1", "\"alignment\": 8")
                .contains("{\"name\": \"packets\", \"cType\": \"__u64\", \"offset\": 0, \"size\": 8, \"alignment\": 8, \"metric\": \"counter\"}")
                .contains("{\"name\": \"sizeBuckets\", \"cType\": \"__u64[8]\", \"offset\": 16, \"size\": 64, \"alignment\": 8, \"metric\": \"counter\"}")
                .contains("{\"name\": \"limit\", \"cType\": \"__u32\", \"offset\": 80, \"size\": 4, \"alignment\": 4, \"metric\": \"counter\"}");
    }

    @Test
    void headerDefinesEveryVariableInitialisedInItsSection() {
        String header = compiled.header(XdpStatsExample.NAME);

        assertThat(header).contains("#ifndef BPF_GLOBALS_COM_EXAMPLE_XDP_XDPSTATS_H")
                .contains("from the Java record com.example.xdp.XdpStats")
                .contains("__u64 packets SEC(\".percpu\") = 0;")
                .contains("__u64 sizeBuckets[8] SEC(\".percpu\") = {0};")
                .contains("__u32 limit SEC(\".percpu\") = 0;")
                .contains("struct xdp_stats_percpu {")
                .contains("_Static_assert(__builtin_offsetof(struct xdp_stats_percpu, limit) == 80")
                .contains("#define BPF_PERCPU(var) (var)")
                .contains("} __percpu_compat SEC(\".maps\");");
    }

    @Test
    void headerSaysWhereAFailedCompatLookupWouldWriteInsteadOfPromisingNothingIsLost() {
        String header = compiled.header(XdpStatsExample.NAME);

        assertThat(header).doesNotContain("must not be lost silently")
                .contains("static struct xdp_stats_percpu xdp_stats_this_cpu_unreachable SEC(\".bss.bpf_globals\");")
                .contains("reads and writes would go to this one copy, shared by all CPUs");
    }

    @Test
    void headerDirOptionWritesTheHeaderThereToo(@TempDir Path dir) throws IOException {
        var compilation = com.google.testing.compile.Compiler.javac().withProcessors(new GlobalsProcessor())
                .withOptions("-Abpfglobals.headerDir=" + dir.resolve("headers"))
                .compile(JavaFileObjects.forSourceString(XdpStatsExample.NAME, XdpStatsExample.SOURCE));

        assertThat(compilation).succeeded();
        assertThat(Files.readString(dir.resolve("headers/com.example.xdp.XdpStats.h")))
                .isEqualTo(compiled.header(XdpStatsExample.NAME));
    }

    @Test
    void nestedRecordGetsBinaryNameFilesAndAnUnderscoredAccessor() {
        Compiled nested = Compiled.compile("p.Outer", """
                package p;
                import dev.bpfglobals.annotations.*;
                public final class Outer {
                    public record Stats(@PerCpu long hits) {}
                }
                """);

        assertThat(nested.compilation).generatedSourceFile("p.Outer_StatsGlobals");
        assertThat(nested.header("p.Outer$Stats")).contains("__s64 hits SEC(\".percpu\")");
    }

    @Test
    void nestedTypesGetTagsAndEnumConstantsPrefixedWithTheRecordsCName() {
        Compiled flows = Compiled.compile("p.FlowStats", """
                package p;
                import dev.bpfglobals.annotations.*;
                public record FlowStats(@PerCpu Pair pair, @PerCpu Proto proto) {
                    public record Pair(int key, int value) {}
                    public enum Proto { TCP, UDP }
                }
                """);

        assertThat(flows.header("p.FlowStats")).contains("struct flow_stats_pair {", "struct flow_stats_pair pair SEC(")
                .contains("enum flow_stats_proto {", "\tFLOW_STATS_PROTO_TCP = 0,", "\tFLOW_STATS_PROTO_UDP = 1,")
                .doesNotContain("struct pair", "enum proto", " PROTO_TCP");
        assertThat(flows.contract("p.FlowStats")).contains("\"cType\": \"struct flow_stats_pair\"",
                "\"cType\": \"enum flow_stats_proto\"");
    }

    private static String golden() throws IOException {
        try (InputStream in = GeneratedOutputsTest.class.getResourceAsStream("/golden/XdpStatsGlobals.java")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

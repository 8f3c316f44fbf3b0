package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.bpfglobals.processor.validation.Diagnostic;
import java.util.Arrays;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each diagnostic, reported with its tag on the line a user has to change. */
class DiagnosticsTest {

    private static JavaFileObject record(String body) {
        return JavaFileObjects.forSourceString("test.R", """
                package test;
                import dev.bpfglobals.annotations.*;
                """ + body);
    }

    private static Compilation compile(JavaFileObject... files) {
        return com.google.testing.compile.Compiler.javac().withProcessors(new GlobalsProcessor()).compile(files);
    }

    private static void assertError(Diagnostic diagnostic, String body, String line) {
        JavaFileObject source = record(body);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + diagnostic.tag() + "]").inFile(source).onLineContaining(line);
    }

    @Test
    void everyDiagnosticHasAUniqueTag() {
        assertThat(Arrays.stream(Diagnostic.values()).map(Diagnostic::tag).distinct().count())
                .isEqualTo(Diagnostic.values().length);
    }

    @Test
    void stringIsAnUnsupportedType() {
        assertError(Diagnostic.UNSUPPORTED_TYPE, """
                public record R(@PerCpu long ok,
                    @PerCpu String name) {}
                """, "String name");
    }

    @Test
    void boxedLongIsAnUnsupportedType() {
        assertError(Diagnostic.UNSUPPORTED_TYPE, """
                public record R(@PerCpu long ok,
                    @PerCpu Long boxed) {}
                """, "Long boxed");
    }

    @Test
    void listIsAnUnsupportedType() {
        assertError(Diagnostic.UNSUPPORTED_TYPE, """
                public record R(@PerCpu long ok,
                    @PerCpu java.util.List<Long> values) {}
                """, "List<Long> values");
    }

    @Test
    void doubleIsRejectedBecauseBpfHasNoFloatingPoint() {
        assertError(Diagnostic.FLOATING_POINT, """
                public record R(@PerCpu long ok,
                    @PerCpu double ratio) {}
                """, "double ratio");
    }

    @Test
    void recordContainingItselfIsRejected() {
        assertError(Diagnostic.RECURSIVE_RECORD, """
                public record R(@PerCpu long ok, @PerCpu Node node) {
                    public record Node(int value,
                        Node next) {}
                }
                """, "Node next");
    }

    @Test
    void arrayWithoutLengthIsRejected() {
        assertError(Diagnostic.MISSING_LENGTH, """
                public record R(@PerCpu long ok,
                    @PerCpu long[] buckets) {}
                """, "long[] buckets");
    }

    @Test
    void arrayWithLengthZeroIsRejected() {
        assertError(Diagnostic.BAD_LENGTH, """
                public record R(@PerCpu long ok,
                    @PerCpu @Length(0) long[] buckets) {}
                """, "long[] buckets");
    }

    @Test
    void arrayOfArraysIsRejected() {
        assertError(Diagnostic.NESTED_ARRAY, """
                public record R(@PerCpu long ok,
                    @PerCpu @Length(2) long[][] grid) {}
                """, "long[][] grid");
    }

    @Test
    void lengthOnAScalarIsRejected() {
        assertError(Diagnostic.LENGTH_ON_NON_ARRAY, """
                public record R(@PerCpu long ok,
                    @PerCpu @Length(4) long single) {}
                """, "long single");
    }

    @Test
    void unsignedBooleanIsRejected() {
        assertError(Diagnostic.UNSIGNED_ON_NON_INTEGRAL, """
                public record R(@PerCpu long ok,
                    @PerCpu @Unsigned boolean flag) {}
                """, "boolean flag");
    }

    @Test
    void cKeywordsCannotNameAGlobal() {
        for (String keyword : new String[] {"union", "register", "signed"}) {
            assertError(Diagnostic.C_KEYWORD, """
                    public record R(@PerCpu long ok,
                        @PerCpu long %s) {}
                    """.formatted(keyword), "long " + keyword);
        }
    }

    @Test
    void cKeywordsCannotNameANestedMember() {
        assertError(Diagnostic.C_KEYWORD, """
                public record R(@PerCpu Flow flow) {
                    public record Flow(int ok,
                        int extern) {}
                }
                """, "int extern");
    }

    @Test
    void nameOfAGeneratedIdentifierIsRejected() {
        assertError(Diagnostic.RESERVED_NAME, """
                public record R(@PerCpu long ok,
                    @PerCpu long r_percpu) {}
                """, "long r_percpu");
    }

    @Test
    void reservedDoubleUnderscoreNameIsRejected() {
        assertError(Diagnostic.RESERVED_NAME, """
                public record R(@PerCpu long ok,
                    @PerCpu long __percpu_compat) {}
                """, "long __percpu_compat");
    }

    @Test
    void variableClashingWithAnEnumConstantIsRejected() {
        assertError(Diagnostic.DUPLICATE_C_NAME, """
                public record R(@PerCpu Proto proto,
                    @PerCpu long R_PROTO_TCP) {
                    public enum Proto { TCP, UDP }
                }
                """, "long R_PROTO_TCP");
    }

    @Test
    void twoRecordsWithTheSameCTagAreRejected() {
        assertError(Diagnostic.DUPLICATE_C_NAME, """
                public record R(@PerCpu A.Flow a,
                    @PerCpu B.Flow b) {
                    public static final class A { public record Flow(int x) {} }
                    public static final class B { public record Flow(long y) {} }
                }
                """, "B.Flow b");
    }

    @Test
    void componentsWhoseJavaConstantsClashAreRejectedNamingBothAndTheConstant() {
        JavaFileObject source = record("""
                public record R(@PerCpu @Length(8) long[] sizeBuckets,
                    @PerCpu @Length(8) long[] size_buckets) {}
                """);
        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.DUPLICATE_JAVA_NAME.tag() + "] 'size_buckets' would "
                        + "generate the Java constant SIZE_BUCKETS_OFFSET in RGlobals, which component 'sizeBuckets' also generates")
                .inFile(source).onLineContaining("long[] size_buckets");
    }

    @Test
    void aDataComponentNamedAfterAMethodOfTheDataViewIsRejected() {
        JavaFileObject source = record("""
                public record R(@PerCpu long hits,
                    int read) {}
                """);
        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.VIEW_METHOD_NAME.tag() + "] 'read' would generate the "
                        + "getter read() of RGlobals.DataView, which the view declares for the whole section; rename the component")
                .inFile(source).onLineContaining("int read");
    }

    @Test
    void aComponentInTwoSectionsIsRejectedOnItsLineNamingBoth() {
        JavaFileObject source = record("""
                public record R(@PerCpu long hits,
                    @Bss @Rodata int both) {}
                """);
        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.TWO_SECTIONS.tag() + "] 'both' is annotated @Bss and "
                        + "@Rodata, but a global lives in exactly one section")
                .inFile(source).onLineContaining("int both");
    }

    @Test
    void aPerCpuComponentCannotAlsoBeRodata() {
        assertError(Diagnostic.TWO_SECTIONS, """
                public record R(int limit,
                    @PerCpu @Rodata long hits) {}
                """, "long hits");
    }

    @Test
    void theTypeRulesApplyInBssAndRodata() {
        assertError(Diagnostic.MISSING_LENGTH, """
                public record R(@Bss long ok,
                    @Rodata int[] noLength) {}
                """, "int[] noLength");
        assertError(Diagnostic.FLOATING_POINT, """
                public record R(@Rodata long ok,
                    @Bss double ratio) {}
                """, "double ratio");
    }

    @Test
    void aRodataComponentNamedAfterAMethodOfItsViewIsRejectedNamingTheRodataView() {
        JavaFileObject source = record("""
                public record R(long limit,
                    @Rodata int view) {}
                """);

        assertThat(compile(source)).hadErrorContaining("of RGlobals.RodataView").inFile(source).onLineContaining("int view");
    }

    @Test
    void aPerCpuComponentMayHaveTheNameOfADataViewMethod() {
        assertThat(compile(record("public record R(@PerCpu long view, int limit) {}"))).succeededWithoutWarnings();
    }

    @Test
    void componentsInDifferentSectionsClashInTheOneAccessorToo() {
        assertError(Diagnostic.DUPLICATE_JAVA_NAME, """
                public record R(@PerCpu long hitCount,
                    long hit_count) {}
                """, "long hit_count");
    }

    @Test
    void componentWhoseSizeConstantIsASectionConstantIsRejected() {
        JavaFileObject source = record("""
                public record R(@PerCpu long ok,
                    @PerCpu long percpuValue) {}
                """);
        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.DUPLICATE_JAVA_NAME.tag() + "] 'percpuValue' would "
                        + "generate the Java constant PERCPU_VALUE_SIZE in RGlobals, which the accessor's section constants")
                .inFile(source).onLineContaining("long percpuValue");
    }

    @Test
    void nestedRecordWhoseTagIsASectionMirrorsIsRejected() {
        assertError(Diagnostic.DUPLICATE_C_NAME, """
                public record R(@PerCpu long ok,
                    @PerCpu Percpu inner) {
                    public record Percpu(int x) {}
                }
                """, "Percpu inner");
    }

    @Test
    void recordWithoutComponentsIsAnEmptySection() {
        assertError(Diagnostic.EMPTY_SECTION, """
                @BpfGlobals
                public record R() {}
                """, "public record R()");
    }

    @Test
    void percpuSectionOverTheKernelLimitIsRejectedOnTheComponentThatCrossesIt() {
        assertError(Diagnostic.PERCPU_TOO_LARGE, """
                public record R(@PerCpu @Length(4096) long[] fits,
                    @PerCpu byte overflow) {}
                """, "byte overflow");
    }

    @Test
    void percpuSectionAtExactlyTheKernelLimitIsAccepted() {
        Compilation compilation = compile(record("public record R(@PerCpu @Length(4096) long[] fits) {}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void perCpuOnAClassFieldIsRejected() {
        assertError(Diagnostic.NOT_IN_RECORD, """
                public record R(@PerCpu long ok) {}
                final class NotARecord {
                    @PerCpu long counter;
                }
                """, "long counter");
    }

    @Test
    void paddingOverAQuarterOfTheSectionIsAWarningNamingABetterOrder() {
        JavaFileObject source = record("""
                public record R(@PerCpu byte a, @PerCpu long b, @PerCpu byte c, @PerCpu long d) {}
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[" + Diagnostic.PADDING_WASTE.tag() + "] 14 of the 32 bytes")
                .inFile(source).onLineContaining("public record R");
        assertThat(compilation).hadWarningContaining("b, d, a, c");
    }

    @Test
    void aGlobalNamedLikeAVmlinuxTypedefIsWarnedAboutOnItsLine() {
        JavaFileObject source = record("""
                public record R(@PerCpu long packets,
                    @PerCpu @Unsigned int u32) {}
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[" + Diagnostic.VMLINUX_TYPEDEF_NAME.tag() + "] 'u32' is a typedef in vmlinux.h")
                .inFile(source).onLineContaining("int u32");
    }

    @Test
    void theVmlinuxNameWarningCanBeSuppressed() {
        Compilation compilation = compile(record("""
                @SuppressWarnings("bpfglobals.vmlinux")
                public record R(@PerCpu long packets, @PerCpu @Unsigned int u32) {}
                """));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void paddingWarningCanBeSuppressed() {
        Compilation compilation = compile(record("""
                @SuppressWarnings("bpfglobals.padding")
                public record R(@PerCpu byte a, @PerCpu long b, @PerCpu byte c, @PerCpu long d) {}
                """));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void twoBadRecordsInOneRoundEachGetTheirErrorAndNeitherGetsAnyOutput(@TempDir Path dir) {
        JavaFileObject a = JavaFileObjects.forSourceString("t.A", """
                package t;
                import dev.bpfglobals.annotations.*;
                public record A(@PerCpu String x) {}
                """);
        JavaFileObject b = JavaFileObjects.forSourceString("t.B", """
                package t;
                import dev.bpfglobals.annotations.*;
                public record B(@PerCpu double y) {}
                """);

        Compilation compilation = compile(a, b);

        assertThat(compilation).hadErrorContaining("[" + Diagnostic.UNSUPPORTED_TYPE.tag() + "]")
                .inFile(a).onLineContaining("String x");
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.FLOATING_POINT.tag() + "]")
                .inFile(b).onLineContaining("double y");
        // compile-testing hides generated files of a failed compilation, so look at a real build's output.
        assertThat(DiskCompile.filesWritten(dir, a, b))
                .noneMatch(path -> path.endsWith(".h") || path.endsWith(".json") || path.endsWith(".java"));
    }

    @Test
    void aGoodRecordNextToABadOneStillGetsItsOutputs(@TempDir Path dir) {
        JavaFileObject bad = JavaFileObjects.forSourceString("t.A", """
                package t;
                import dev.bpfglobals.annotations.*;
                public record A(@PerCpu String x) {}
                """);
        JavaFileObject good = JavaFileObjects.forSourceString("t.G", """
                package t;
                import dev.bpfglobals.annotations.*;
                public record G(@PerCpu long hits) {}
                """);

        Compilation compilation = compile(bad, good);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[" + Diagnostic.UNSUPPORTED_TYPE.tag() + "]")
                .inFile(bad).onLineContaining("String x");
        assertThat(DiskCompile.filesWritten(dir, bad, good))
                .contains("generated/t/GGlobals.java", "classes/META-INF/bpf-globals/t.G.h", "classes/META-INF/bpf-globals/t.G.json")
                .noneMatch(path -> path.contains("AGlobals") || path.contains("t.A."));
    }

    @Test
    void allProblemsOfARecordAreReportedAtOnce() {
        Compilation compilation = compile(record("""
                public record R(@PerCpu String a,
                    @PerCpu double b) {}
                """));
        assertThat(compilation).hadErrorCount(2);
    }
}

package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.bpfglobals.processor.validation.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Each diagnostic of a {@code @BpfStruct} record, with its tag on the line a user has to change. */
class StructDiagnosticsTest {

    static JavaFileObject source(String body) {
        return JavaFileObjects.forSourceString("test.R", """
                package test;
                import dev.bpfglobals.annotations.*;
                """ + body);
    }

    static Compilation compile(JavaFileObject... files) {
        return com.google.testing.compile.Compiler.javac()
                .withProcessors(new StructProcessor(), new GlobalsProcessor()).compile(files);
    }

    private static void assertError(Diagnostic diagnostic, String body, String line) {
        JavaFileObject source = source(body);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + diagnostic.tag() + "]").inFile(source).onLineContaining(line);
    }

    @Test
    void structOnAClassIsRejected() {
        assertError(Diagnostic.STRUCT_NOT_RECORD, """
                @BpfStruct
                public final class R { int a; }
                """, "class R");
    }

    @Test
    void structWithoutComponentsIsRejected() {
        assertError(Diagnostic.EMPTY_STRUCT, """
                @BpfStruct
                public record R() {}
                """, "record R");
    }

    @Test
    void tagThatIsNoCIdentifierIsRejected() {
        assertError(Diagnostic.BAD_STRUCT_TAG, """
                @BpfStruct("flow-key")
                public record R(int a) {}
                """, "record R");
    }

    @Test
    void tagThatIsACKeywordIsRejected() {
        assertError(Diagnostic.BAD_STRUCT_TAG, """
                @BpfStruct("union")
                public record R(int a) {}
                """, "record R");
    }

    @Test
    void sectionAnnotationOnAMemberIsRejected() {
        assertError(Diagnostic.SECTION_IN_STRUCT, """
                @BpfStruct
                public record R(int a,
                    @PerCpu long hits) {}
                """, "long hits");
    }

    @Test
    void structThatIsAlsoGlobalsIsRejected() {
        assertError(Diagnostic.STRUCT_AND_GLOBALS, """
                @BpfStruct @BpfGlobals
                public record R(int a) {}
                """, "record R");
    }

    @Test
    void membersWhoseOffsetConstantsClashAreRejected() {
        assertError(Diagnostic.DUPLICATE_JAVA_NAME, """
                @BpfStruct
                public record R(int sizeBuckets,
                    int size_buckets) {}
                """, "int size_buckets");
    }

    @Test
    void memberOfAGlobalsUnsupportedTypeIsRejectedOnItsLine() {
        assertError(Diagnostic.FLOATING_POINT, """
                @BpfStruct
                public record R(int a,
                    double ratio) {}
                """, "double ratio");
    }

    @Test
    void arrayMemberWithoutLengthIsRejectedOnItsLine() {
        assertError(Diagnostic.MISSING_LENGTH, """
                @BpfStruct
                public record R(int a,
                    byte[] name) {}
                """, "byte[] name");
    }

    @Test
    void structWithHolesIsWarnedAboutWithTheOrderThatHasNone() {
        JavaFileObject source = source("""
                @BpfStruct
                public record R(int a, long b, int c) {}
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[" + Diagnostic.STRUCT_PADDING.tag() + "] struct r has 8 padding bytes "
                + "(4 at offset 4, 4 at offset 20)").inFile(source).onLineContaining("record R");
        assertThat(compilation).hadWarningContaining("the order b, a, c leaves no hole");
    }

    @Test
    void tailPaddingNoOrderRemovesIsNamedSo() {
        Compilation compilation = compile(source("""
                @BpfStruct
                public record R(long a, int b) {}
                """));
        assertThat(compilation).hadWarningContaining("(4 at offset 12): as a hash map key");
        assertThat(compilation).hadWarningContaining("no order of its members removes them all");
    }

    @Test
    void paddingWarningIsSuppressible() {
        Compilation compilation = compile(source("""
                @BpfStruct @SuppressWarnings("bpfglobals.padding")
                public record R(long a, int b) {}
                """));
        assertThat(compilation).succeededWithoutWarnings();
    }
}

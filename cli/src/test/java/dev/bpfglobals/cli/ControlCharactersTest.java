package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from an object reach the terminal escaped, in text and JSON, in results and in errors:
 * control_names.bpf.c puts ESC [31m and a right-to-left override in section names and an OSC
 * window-title sequence in a program's section.
 */
class ControlCharactersTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BpfGlobalsCli.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private static String object() throws Exception {
        return BpfObjects.compile("control_names").toString();
    }

    /** Whether {@code text} holds anything a terminal would act on, line breaks and tabs aside. */
    private static boolean hasUnsafe(String text) {
        return text.codePoints().anyMatch(c -> c != '\n' && c != '\t' && Printable.unsafe(c));
    }

    @Test
    void inspectEscapesSectionNamesAndProgramSections() throws Exception {
        assertThat(run("inspect", object())).isZero();

        assertThat(out.toString()).contains("section .data.\\x1b[31mred (4 bytes, map ARRAY)")
                .contains("section .data.\\u202edlrow (4 bytes, map ARRAY)")
                .contains("program pass: section xdp/\\x1b]0;title\\x07, type XDP");
        assertThat(hasUnsafe(out.toString())).isFalse();
    }

    @Test
    void inspectJsonEscapesThemAsJsonUnicodeEscapes() throws Exception {
        assertThat(run("inspect", object(), "--json")).isZero();

        assertThat(out.toString()).contains("{\"name\": \".data.\\u001b[31mred\"").contains("{\"name\": \".data.\\u202edlrow\"")
                .contains("\"section\": \"xdp/\\u001b]0;title\\u0007\"");
        assertThat(hasUnsafe(out.toString())).isFalse();
    }

    @Test
    void anErrorQuotingTheNamesEscapesThem(@TempDir Path dir) throws Exception {
        assertThat(run("load", object(), "--pin", dir.resolve("pins").toString(), "--set", ".bss.x=1")).isEqualTo(1);

        assertThat(err.toString()).contains("the object has [.data.\\x1b[31mred, .data.\\u202edlrow]");
        assertThat(hasUnsafe(err.toString())).isFalse();
    }

    @Test
    void aMistypedOptionIsEscapedInTheUsageError() {
        assertThat(run("inspect", "x.o", "--\u001b[2J")).isEqualTo(2);

        assertThat(err.toString()).contains("unknown option '--\\x1b[2J'");
        assertThat(hasUnsafe(err.toString())).isFalse();
    }

    @Test
    void escapingTouchesOnlyWhatATerminalWouldActOn() {
        assertThat(Printable.name("packets_total.v2")).isEqualTo("packets_total.v2");
        assertThat(Printable.name("tab\there\u007fdel\u009bcsi\u2028")).isEqualTo("tab\\x09here\\x7fdel\\x9bcsi\\u2028");
        assertThat(Printable.name("a\\x1b")).as("a name spelling an escape differs from the escape").isEqualTo("a\\\\x1b");
        assertThat(Printable.message("verifier:\n; \treturn 0;\n0: r0 = 0\u001b")).isEqualTo("verifier:\n; \treturn 0;\n0: r0 = 0\\x1b");
        assertThat(Printable.name("tag\uDB40\uDC01")).as("a tag character, beyond U+FFFF").isEqualTo("tag\\U000e0001");
        assertThat(Json.quote("\u001b\u202e\"\uDB40\uDC01")).isEqualTo("\"\\u001b\\u202e\\\"\\udb40\\udc01\"");
    }
}

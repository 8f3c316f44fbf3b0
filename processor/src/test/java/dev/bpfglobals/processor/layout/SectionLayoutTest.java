package dev.bpfglobals.processor.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * clang's placement rules, without javac. The expected offsets are what {@code clang -O2 -g -target bpf}
 * gives the same variables: runtime/src/test/bpf/globals.bpf.c defines the first example, and
 * ClangCrossCheckTest compiles every LayoutMatrix record with clang.
 */
class SectionLayoutTest {

    private static final CType U8 = new CType.Scalar(ScalarKind.U8);
    private static final CType U16 = new CType.Scalar(ScalarKind.U16);
    private static final CType U32 = new CType.Scalar(ScalarKind.U32);
    private static final CType U64 = new CType.Scalar(ScalarKind.U64);

    @Test
    void contractExampleHasClangsOffsetsAndSize() {
        CType.Struct d = new CType.Struct("d", "D", List.of(new CType.Field("x", U32), new CType.Field("y", U8)));
        SectionLayout layout = SectionLayout.of(".percpu", List.of(
                new CType.Field("a", U8), new CType.Field("b", U64), new CType.Field("c", U16),
                new CType.Field("d", d), new CType.Field("name", new CType.Array(new CType.Scalar(ScalarKind.S8), 5)),
                new CType.Field("e", U8)));

        assertThat(layout.variables()).extracting(CType.Placed::offset).containsExactly(0, 8, 16, 20, 28, 33);
        assertThat(layout.size()).isEqualTo(34);
        assertThat(layout.alignment()).isEqualTo(8);
    }

    @Test
    void nestedStructHasTailPaddingButSectionDoesNot() {
        CType.Struct s = new CType.Struct("s", "S", List.of(new CType.Field("x", U64), new CType.Field("y", U8)));
        SectionLayout layout = SectionLayout.of(".percpu", List.of(new CType.Field("v", U32), new CType.Field("w", U8)));

        assertThat(s.size()).isEqualTo(16);
        assertThat(layout.size()).isEqualTo(5);
    }

    @Test
    void arrayAlignsAsItsElement() {
        SectionLayout layout = SectionLayout.of(".percpu", List.of(
                new CType.Field("a", U8), new CType.Field("b", new CType.Array(U32, 3))));

        assertThat(layout.variables().get(1).offset()).isEqualTo(4);
        assertThat(layout.size()).isEqualTo(16);
    }

    @Test
    void decreasingAlignmentOrderRemovesPadding() {
        SectionLayout layout = SectionLayout.of(".percpu", List.of(
                new CType.Field("a", U8), new CType.Field("b", U64), new CType.Field("c", U16)));
        List<String> order = layout.paddingFreeOrder();
        List<CType.Field> reordered = order.stream()
                .map(name -> layout.variables().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow())
                .map(v -> new CType.Field(v.name(), v.type())).toList();

        assertThat(layout.padding()).isEqualTo(7);
        assertThat(order).containsExactly("b", "c", "a");
        assertThat(SectionLayout.of(".percpu", reordered).padding()).isZero();
    }

    @Test
    void enumIsFourBytes() {
        CType.Enum e = new CType.Enum("proto", "P", List.of("TCP", "UDP"));
        assertThat(e.size()).isEqualTo(4);
        assertThat(e.alignment()).isEqualTo(4);
    }
}

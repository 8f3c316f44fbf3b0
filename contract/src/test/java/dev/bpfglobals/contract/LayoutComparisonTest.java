package dev.bpfglobals.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one map-shape check that binding, exporting, the loader's compat maps and the contract report share. */
class LayoutComparisonTest {

    private static final SectionContract PERCPU = new SectionContract(SectionContract.PERCPU, MapType.PERCPU_ARRAY, 4, 16, 1, 8,
            List.of(new VariableContract("hits", "__u64", 0, 8, 8), new VariableContract("bytes", "__u64", 8, 8, 8)));

    @Test
    void aMapOfTheSameShapeHasNoDifference() {
        assertThat(LayoutComparison.compareShape(PERCPU, MapType.PERCPU_ARRAY.kernelValue(), 4, 16, 1)).isEmpty();
    }

    @Test
    void everyPropertyOfAnotherShapeIsNamedWithBothValues() {
        List<LayoutDifference> differences = LayoutComparison.compareShape(PERCPU, 99, 8, 24, 2);

        assertThat(differences).extracting(LayoutDifference::describe).containsExactly(
                "map type expected PERCPU_ARRAY, found type 99",
                "key size expected 4 bytes, found 8 bytes",
                "value size expected 16 bytes, found 24 bytes",
                "max entries expected 1, found 2");
    }

    @Test
    void aLayoutComparisonStartsWithTheShape() {
        SectionContract bigger = new SectionContract(SectionContract.PERCPU, MapType.PERCPU_ARRAY, 4, 24, 1, 8, PERCPU.variables());

        assertThat(LayoutComparison.compare(PERCPU, bigger)).extracting(LayoutDifference::describe)
                .containsExactly("value size expected 16 bytes, found 24 bytes");
    }

    @Test
    void aMapOfAnotherShapeIsRefusedWithoutReadingItsBtf() {
        List<LayoutDifference> differences = LayoutComparison.compareMap(PERCPU, MapType.PERCPU_ARRAY.kernelValue(), 4, 24, 1,
                () -> {
                    throw new AssertionError("the BTF of a map of another shape was read");
                });

        assertThat(differences).extracting(LayoutDifference::describe).containsExactly("value size expected 16 bytes, found 24 bytes");
    }

    @Test
    void aMapOfTheSameShapeIsComparedVariableByVariableWhereItHasBtf() {
        SectionContract moved = new SectionContract(SectionContract.PERCPU, MapType.PERCPU_ARRAY, 4, 16, 1, 8,
                List.of(new VariableContract("bytes", "__u64", 0, 8, 8), new VariableContract("hits", "__u64", 8, 8, 8)));

        assertThat(LayoutComparison.compareMap(PERCPU, MapType.PERCPU_ARRAY.kernelValue(), 4, 16, 1, () -> Optional.of(moved)))
                .extracting(LayoutDifference::describe)
                .containsExactly("variable 'hits': offset expected 0, found 8", "variable 'bytes': offset expected 8, found 0");
        assertThat(LayoutComparison.compareMap(PERCPU, MapType.PERCPU_ARRAY.kernelValue(), 4, 16, 1, Optional::empty)).isEmpty();
    }
}

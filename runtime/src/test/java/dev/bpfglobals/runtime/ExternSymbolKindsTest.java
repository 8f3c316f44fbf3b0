package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.internal.loader.ExternImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The loader sorts externs into its own kinds, and {@code ExternSymbol} hands them to users by
 * name: the two enums must name the same kinds in the same order, or opening an object with an
 * extern of the missing kind would fail.
 */
class ExternSymbolKindsTest {

    @Test
    void everyKindTheLoaderSortsExternsIntoHasItsPublicNamesake() {
        assertThat(Arrays.stream(ExternImage.Kind.values()).map(Enum::name))
                .containsExactly(Arrays.stream(ExternSymbol.Kind.values()).map(Enum::name).toArray(String[]::new));
    }
}

package dev.bpfglobals.runtime.internal.light;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A BPF jump holds a signed 16-bit offset: the loader's assembler resolves one as far as that
 * reaches, and refuses a farther one in a line rather than let it wrap to another instruction.
 */
class LoaderAsmTest {

    @Test
    void theFarthestJumpResolvesAndOneFartherIsRefused() {
        assertThat(offsetOfJumpOver(Short.MAX_VALUE)).isEqualTo(Short.MAX_VALUE);

        assertThatThrownBy(() -> offsetOfJumpOver(Short.MAX_VALUE + 1)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the light loader is too large: a jump at instruction 0 spans 32768 instructions, over the 32,767"
                        + " a BPF jump reaches (too many programs or kernel symbols for one loader); load the object with"
                        + " LoadedObject.load");
    }

    /** The offset field of a jump over {@code skipped} instructions to the label after them. */
    private static int offsetOfJumpOver(int skipped) {
        LoaderAsm asm = new LoaderAsm();
        asm.jumpTo("end");
        for (int i = 0; i < skipped; i++) {
            asm.movImm(LoaderAsm.R0, i);
        }
        asm.label("end").exit();
        return (short) (asm.finish()[0] >>> 16);
    }
}

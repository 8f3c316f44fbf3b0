package dev.bpfglobals.runtime.internal.light;

import java.util.Arrays;
import java.util.Objects;

/**
 * One program the loader program loads: the {@code BPF_PROG_LOAD} attributes of a relocated
 * program whose map references name maps by their index among the loader's maps
 * ({@code BPF_PSEUDO_MAP_IDX} and {@code BPF_PSEUDO_MAP_IDX_VALUE} in an ld_imm64's source
 * register, the index in its immediate), since no map has a descriptor when the loader is built.
 *
 * @param name               the kernel's name for it (15 characters kept)
 * @param type               {@code enum bpf_prog_type}
 * @param expectedAttachType {@code enum bpf_attach_type}, 0 where none is named
 * @param flags              {@code prog_flags} ({@code BPF_F_SLEEPABLE} ...)
 * @param license            the license string ({@code GPL} for GPL-only helpers)
 * @param instructions       the instructions, maps named by index
 */
public record LightProgram(String name, int type, int expectedAttachType, int flags, String license, long[] instructions) {

    /** Copies the instructions. */
    public LightProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(license, "license");
        if (instructions.length == 0) {
            throw new IllegalArgumentException("program '" + name + "' has no instructions");
        }
        instructions = instructions.clone();
    }

    /** {@return the instructions, a copy} */
    @Override
    public long[] instructions() {
        return instructions.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LightProgram p && name.equals(p.name) && type == p.type
                && expectedAttachType == p.expectedAttachType && flags == p.flags && license.equals(p.license)
                && Arrays.equals(instructions, p.instructions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, expectedAttachType, flags, license, Arrays.hashCode(instructions));
    }

    @Override
    public String toString() {
        return "LightProgram[" + name + ", type " + type + ", " + instructions.length + " instructions]";
    }
}

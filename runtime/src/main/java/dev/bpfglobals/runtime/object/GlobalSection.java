package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.MapType;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.util.List;

/**
 * A global-data section of a BPF object ({@code .percpu}, {@code .data}, {@code .bss},
 * {@code .rodata}, {@code .data.*}, {@code .rodata.*}) with its variables and initial image.
 *
 * @param name      the ELF section name
 * @param size      the section size: the map's value size
 * @param variables the variables, by offset, as the symbol table places them (C types not read yet)
 */
public record GlobalSection(String name, int size, List<VariableContract> variables, byte[] initialImageBytes) {

    /** Copies the variables and the image. */
    public GlobalSection {
        variables = List.copyOf(variables);
        initialImageBytes = initialImageBytes.clone();
    }

    /** The initial image: the bytes the compiler emitted (zeros for {@code .bss}). */
    public byte[] initialImage() {
        return initialImageBytes.clone();
    }

    /** The map libbpf makes of this section: PERCPU_ARRAY for {@code .percpu}, else ARRAY. */
    public MapType mapType() {
        return name.equals(SectionContract.PERCPU) ? MapType.PERCPU_ARRAY : MapType.ARRAY;
    }

    /** This section's layout in contract form, for comparison with a record's contract. */
    public SectionContract layout() {
        int alignment = variables.stream().mapToInt(VariableContract::alignment).max().orElse(1);
        return new SectionContract(name, mapType(), 4, size, 1, alignment, variables);
    }

    /** Whether an ELF section of this name holds global variables libbpf maps. */
    static boolean isGlobalData(String section) {
        return section.equals(".percpu") || section.equals(".data") || section.equals(".bss")
                || section.equals(".rodata") || section.startsWith(".data.") || section.startsWith(".rodata.");
    }
}

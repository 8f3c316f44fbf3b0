package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A global-data section with its variables and initial image: the loader's data behind the public
 * {@code GlobalSection}, and the one place that says which ELF sections are global data, per-CPU
 * or read-only, as libbpf decides it.
 *
 * @param name         the ELF section name
 * @param size         the section size: the map's value size
 * @param alignment    the section's alignment ({@code sh_addralign})
 * @param variables    the variables by offset
 * @param image        the bytes the compiler emitted, exactly {@code size} of them, or none for a zero-filled
 *                     section ({@code .bss}), whose zeros are made only where needed ({@link #initialBytes()}):
 *                     a 64-byte section header may claim up to 2 GiB of them; kept, not copied, and never written
 * @param btfDatasecId the id of the section's DATASEC in the object's BTF, 0 when there is none
 */
public record SectionImage(String name, int size, int alignment, List<VariableImage> variables, byte[] image,
        int btfDatasecId) {

    /** Copies the variables and checks the image's size, which must be the section's. */
    public SectionImage {
        Objects.requireNonNull(name, "name");
        variables = List.copyOf(variables);
        if (image.length != size && image.length != 0) {
            throw new IllegalArgumentException("image of " + name + " is " + image.length + " bytes, the section " + size);
        }
    }

    /** {@return the whole initial image, {@code size} bytes: {@link #image()}, or zeros made now for a zero-filled section} */
    public byte[] initialBytes() {
        return image.length == size ? image : new byte[size];
    }

    /**
     * {@return the same section starting from {@code replacement}}
     *
     * @param replacement the new initial bytes, exactly the section's size
     */
    public SectionImage withImage(byte[] replacement) {
        return new SectionImage(name, size, alignment, variables, replacement.clone(), btfDatasecId);
    }

    /** {@return whether this is {@code .percpu} or a custom {@code .percpu.<name>}} */
    public boolean isPerCpu() {
        return isPerCpu(name);
    }

    /** {@return whether programs may only read it: {@code .rodata} and {@code .rodata.*}} */
    public boolean isReadOnly() {
        return isReadOnly(name);
    }

    /** {@return the name the kernel knows this section's map by} */
    public String kernelMapName() {
        return MapNames.ofSection(name);
    }

    /**
     * Whether its map is made {@code BPF_F_MMAPABLE}, as libbpf's {@code map_is_mmapable} decides:
     * not per-CPU, and with at least one variable the BTF shows neither {@code static} nor hidden.
     *
     * @return whether the section's map is mmapable
     */
    public boolean isMmapable() {
        return !isPerCpu() && btfDatasecId != 0 && variables.stream().anyMatch(VariableImage::global);
    }

    /** {@return the section's layout in contract form, zero-sized variables left out} */
    public SectionContract layout() {
        return layout(name, size, alignment, variables.stream()
                .map(v -> new VariableContract(v.name(), v.cType(), v.offset(), v.size(), v.alignment())).toList());
    }

    /**
     * A global section's layout in contract form, as libbpf makes its map: one entry, key 4, the
     * section as the value; zero-sized variables left out.
     *
     * @param name      the section's name
     * @param size      its size
     * @param alignment its alignment, 0 taken as 1
     * @param variables its variables in contract form
     * @return the layout
     */
    public static SectionContract layout(String name, int size, int alignment, List<VariableContract> variables) {
        MapType type = isPerCpu(name) ? MapType.PERCPU_ARRAY : MapType.ARRAY;
        return new SectionContract(name, type, 4, size, 1, Math.max(1, alignment),
                variables.stream().filter(v -> v.size() > 0).toList());
    }

    /**
     * @param section an ELF section name
     * @return whether it is {@code .rodata} or {@code .rodata.<name>}
     */
    public static boolean isReadOnly(String section) {
        return section.equals(".rodata") || section.startsWith(".rodata.");
    }

    /**
     * @param section an ELF section name
     * @return whether it holds global variables libbpf maps, each such section a map of its own
     */
    public static boolean isGlobalData(String section) {
        // libbpf's bpf_object__elf_collect: each of these, and each custom one after a dot, is a map.
        return isPerCpu(section) || section.equals(".data") || section.equals(".bss") || isReadOnly(section)
                || section.startsWith(".data.") || section.startsWith(".bss.");
    }

    /**
     * @param section an ELF section name
     * @return whether it is {@code .percpu} or a custom {@code .percpu.<name>} ({@code .data.percpu} is not)
     */
    public static boolean isPerCpu(String section) {
        return section.equals(SectionContract.PERCPU) || section.startsWith(SectionContract.PERCPU + ".");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SectionImage that && name.equals(that.name) && size == that.size
                && alignment == that.alignment && variables.equals(that.variables) && Arrays.equals(image, that.image)
                && btfDatasecId == that.btfDatasecId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, alignment, variables, Arrays.hashCode(image), btfDatasecId);
    }

    @Override
    public String toString() {
        return "SectionImage[" + name + ", " + size + " bytes, " + variables.size() + " variables]";
    }
}

package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.internal.loader.SectionImage;
import java.util.List;
import java.util.Objects;

/**
 * A global-data section of a BPF object ({@code .percpu}, {@code .percpu.*}, {@code .data},
 * {@code .bss}, {@code .rodata}, {@code .data.*}, {@code .bss.*}, {@code .rodata.*}) with its variables and initial
 * image: what libbpf turns into one single-entry map whose value is the whole section. Per-CPU
 * sections ({@code .percpu} and every custom {@code .percpu.<name>}) each become their own
 * PERCPU_ARRAY; the others an ARRAY.
 *
 * @param name              the ELF section name; the map's kernel name is {@link #kernelMapName()}
 * @param size              the section size: the map's value size
 * @param alignment         the section's alignment ({@code sh_addralign})
 * @param variables         the variables by offset, with C types when the object has BTF
 * @param initialImageBytes the bytes the compiler emitted, {@code size} of them, or none for a zero-filled section
 *                          ({@code .bss}), whose zeros are made only when asked for; see {@link #initialImage()}
 * @param btfDatasecId      the id of the section's DATASEC in {@link ObjectSpec#btf()}, 0 when there is none
 */
public record GlobalSection(String name, int size, int alignment, List<GlobalVariable> variables,
        byte[] initialImageBytes, int btfDatasecId) {

    /** Copies the variables and the image. */
    public GlobalSection {
        Objects.requireNonNull(name, "name");
        variables = List.copyOf(variables);
        initialImageBytes = initialImageBytes.clone();
        if (initialImageBytes.length != size && initialImageBytes.length != 0) {
            throw new IllegalArgumentException("image of " + name + " is " + initialImageBytes.length + " bytes, the section " + size);
        }
    }

    /** The loader's data, as the readers found it: the image is copied once, here. */
    static GlobalSection of(SectionImage s) {
        return new GlobalSection(s.name(), s.size(), s.alignment(), s.variables().stream().map(GlobalVariable::of).toList(),
                s.image(), s.btfDatasecId());
    }

    /** {@return a copy of the initial image, {@code size} bytes} */
    @Override
    public byte[] initialImageBytes() {
        return initialImage();
    }

    /** {@return the initial image, a copy: the bytes the compiler emitted (zeros for {@code .bss}), {@code size} of them} */
    public byte[] initialImage() {
        return initialImageBytes.length == size ? initialImageBytes.clone() : new byte[size];
    }

    /**
     * The same section starting from {@code image} instead, e.g. values Java set before load.
     *
     * @param image the new initial bytes, exactly the section's size
     * @return the new section; this one does not change
     */
    public GlobalSection withInitialImage(byte[] image) {
        return new GlobalSection(name, size, alignment, variables, image, btfDatasecId);
    }

    /**
     * {@return the map libbpf makes of this section: PERCPU_ARRAY for {@code .percpu} and {@code .percpu.*}, else ARRAY}
     */
    public MapType mapType() {
        return isPerCpu(name) ? MapType.PERCPU_ARRAY : MapType.ARRAY;
    }

    /** {@return whether this is a per-CPU section: {@code .percpu} or a custom {@code .percpu.<name>}} */
    public boolean isPerCpu() {
        return isPerCpu(name);
    }

    /**
     * {@return the name the kernel knows this section's map by ({@link dev.bpfglobals.contract.MapNames#ofSection})}
     */
    public String kernelMapName() {
        return dev.bpfglobals.contract.MapNames.ofSection(name);
    }

    /**
     * Whether programs may only read the section ({@code .rodata} and {@code .rodata.*}): libbpf
     * makes its map with {@code BPF_F_RDONLY_PROG} and freezes it after filling it, so the verifier
     * refuses stores into it and reads its values as constants.
     *
     * @return whether the section is read-only for programs
     */
    public boolean isReadOnly() {
        return isReadOnly(name);
    }

    /**
     * Whether user space may mmap this section's map, as libbpf decides it ({@code map_is_mmapable}):
     * only where the object's BTF shows at least one variable a skeleton would expose, one that is
     * neither {@code static} nor hidden (clang gives hidden ones static linkage). libbpf makes the
     * others without {@code BPF_F_MMAPABLE}, and so does this loader, so that the kernel holds the
     * same map whichever of the two loaded the object. Per-CPU sections never are: the kernel cannot
     * mmap a PERCPU_ARRAY.
     *
     * @return whether the section's map is made with {@code BPF_F_MMAPABLE}
     */
    public boolean isMmapable() {
        return !isPerCpu() && btfDatasecId != 0 && variables.stream().anyMatch(GlobalVariable::global);
    }

    /**
     * Whether an ELF section of this name is read-only global data: {@code .rodata} or {@code .rodata.<name>}.
     *
     * @param section an ELF section name
     * @return whether it is {@code .rodata} or {@code .rodata.<name>}
     */
    public static boolean isReadOnly(String section) {
        return SectionImage.isReadOnly(section);
    }

    /**
     * The variable with this name.
     *
     * @param variableName the variable's C name
     * @return the variable, or empty if the section has none of that name
     */
    public java.util.Optional<GlobalVariable> variable(String variableName) {
        return variables.stream().filter(v -> v.name().equals(variableName)).findFirst();
    }

    /**
     * {@return this section's layout in contract form (zero-sized variables left out), for comparison with a record's contract}
     */
    public SectionContract layout() {
        return SectionImage.layout(name, size, alignment, variables.stream().map(GlobalVariable::toContract).toList());
    }

    /**
     * Whether an ELF section of this name holds global variables libbpf maps.
     *
     * @param section an ELF section name
     * @return whether the section is global data, which gets a map of its own
     */
    public static boolean isGlobalData(String section) {
        return SectionImage.isGlobalData(section);
    }

    /**
     * Whether an ELF section of this name holds per-CPU globals: {@code .percpu}, or a custom
     * {@code .percpu.<name>}, which mainline libbpf makes a PERCPU_ARRAY of its own, as it makes
     * {@code .data.<name>} an ARRAY of its own. ({@code .data.percpu} is ordinary data.)
     *
     * @param section an ELF section name
     * @return whether the section is per-CPU global data
     */
    public static boolean isPerCpu(String section) {
        return SectionImage.isPerCpu(section);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobalSection that && name.equals(that.name) && size == that.size
                && alignment == that.alignment && variables.equals(that.variables)
                && java.util.Arrays.equals(initialImageBytes, that.initialImageBytes) && btfDatasecId == that.btfDatasecId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, alignment, variables, java.util.Arrays.hashCode(initialImageBytes), btfDatasecId);
    }

    @Override
    public String toString() {
        return "GlobalSection[" + name + ", " + size + " bytes, " + variables.size() + " variables]";
    }
}

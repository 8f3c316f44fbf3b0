package dev.bpfglobals.processor.model;

import dev.bpfglobals.contract.MapType;

/**
 * The data sections a record's components can live in, with every name derived from one: the ELF
 * section, the map libbpf makes of it, and what the generated header and accessor call its parts.
 * Declaration order is contract order: {@code .percpu} first.
 */
public enum Section {
    /** {@code @PerCpu} components: libbpf's {@code .percpu}, one copy per possible CPU. */
    PERCPU(".percpu", MapType.PERCPU_ARRAY, "PerCpu"),
    /** Components without a section annotation: ordinary initialised globals. */
    DATA(".data", MapType.ARRAY, "Data"),
    /** {@code @Bss} components: zero-initialised globals, one-entry array map like {@code .data}. */
    BSS(".bss", MapType.ARRAY, "Bss"),
    /** {@code @Rodata} components: {@code const volatile} globals, set before load, frozen after it. */
    RODATA(".rodata", MapType.ARRAY, "Rodata");

    private final String elfName;
    private final MapType mapType;
    private final String javaName;

    Section(String elfName, MapType mapType, String javaName) {
        this.elfName = elfName;
        this.mapType = mapType;
        this.javaName = javaName;
    }

    /** The ELF section name, {@code .percpu}, {@code .data}, {@code .bss} or {@code .rodata}: in {@code SEC(...)} and in the contract. */
    public String elfName() {
        return elfName;
    }

    /** The map libbpf makes of the section: entry 0 of a one-entry array holds all of it. */
    public MapType mapType() {
        return mapType;
    }

    /** {@code PERCPU}, {@code DATA}, {@code BSS}, {@code RODATA}: the accessor's codec constant and the prefix of its section constants. */
    public String constantPrefix() {
        return name();
    }

    /** A section's constant: {@code "VALUE_SIZE"} -> {@code PERCPU_VALUE_SIZE}. */
    public String constant(String what) {
        return constantPrefix() + "_" + what;
    }

    /** The accessor's record of this section's components: {@code PerCpuPart}, {@code DataPart}. */
    public String partRecord() {
        return javaName + "Part";
    }

    /** The accessor's private codec class: {@code PerCpuCodec}, {@code DataCodec}. */
    public String codecClass() {
        return javaName + "Codec";
    }

    /** The accessor's typed view of this section in a loaded object: {@code DataView}. */
    public String viewClass() {
        return javaName + "View";
    }

    /**
     * Whether programs may only read the section and the kernel freezes it after load
     * ({@code .rodata}, {@code .rodata.<name>}), so that its view has getters only.
     */
    public boolean readOnlyAfterLoad() {
        return elfName.equals(".rodata") || elfName.startsWith(".rodata.");
    }

    /** The accessor's method for this section's part: {@code decode} -> {@code decodePerCpu}. */
    public String method(String verb) {
        return verb + javaName;
    }

    /** The accessor's encoder of a before-load image of this section: {@code rodataImage}, {@code dataImage}. */
    public String imageMethod() {
        return Character.toLowerCase(javaName.charAt(0)) + javaName.substring(1) + "Image";
    }

    /**
     * The C qualifiers the header puts before a variable of this section: {@code const volatile}
     * for {@code .rodata} ({@code const} is what makes clang place it there, {@code volatile} keeps
     * clang from folding the initial 0 into the program, as libbpf's configuration globals do).
     */
    public String cQualifiers() {
        return readOnlyAfterLoad() ? "const volatile " : "";
    }

    /** The suffix of the struct mirroring the section in C: {@code percpu}, {@code data}, {@code bss}, {@code rodata}. */
    public String cSuffix() {
        return elfName.substring(1);
    }
}

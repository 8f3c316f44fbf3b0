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

    /** {@return the ELF section name, {@code .percpu}, {@code .data}, {@code .bss} or {@code .rodata}: in {@code SEC(...)} and in the contract} */
    public String elfName() {
        return elfName;
    }

    /** {@return the type of map libbpf makes of the section: entry 0 of a one-entry array holds all of it} */
    public MapType mapType() {
        return mapType;
    }

    /** {@return the accessor's codec constant and the prefix of its section constants: {@code PERCPU}, {@code DATA}, {@code BSS}, {@code RODATA}} */
    public String constantPrefix() {
        return name();
    }

    /**
     * The name of one of the accessor's constants about this section.
     *
     * @param what the constant's name without section, e.g. {@code VALUE_SIZE}
     * @return e.g. {@code PERCPU_VALUE_SIZE}
     */
    public String constant(String what) {
        return constantPrefix() + "_" + what;
    }

    /** {@return the accessor's record of this section's components: {@code PerCpuPart}, {@code DataPart}} */
    public String partRecord() {
        return javaName + "Part";
    }

    /** {@return the accessor's private codec class: {@code PerCpuCodec}, {@code DataCodec}} */
    public String codecClass() {
        return javaName + "Codec";
    }

    /** {@return the accessor's typed view of this section in a loaded object: {@code DataView}} */
    public String viewClass() {
        return javaName + "View";
    }

    /**
     * Whether programs may only read the section and the kernel freezes it after load
     * ({@code .rodata}, {@code .rodata.<name>}), so that its view has getters only.
     *
     * @return {@code true} for read-only sections
     */
    public boolean readOnlyAfterLoad() {
        return elfName.equals(".rodata") || elfName.startsWith(".rodata.");
    }

    /**
     * The name of one of the accessor's methods about this section's part.
     *
     * @param verb what the method does, e.g. {@code decode}
     * @return e.g. {@code decodePerCpu}
     */
    public String method(String verb) {
        return verb + javaName;
    }

    /** {@return the accessor's encoder of a before-load image of this section: {@code rodataImage}, {@code dataImage}} */
    public String imageMethod() {
        return Character.toLowerCase(javaName.charAt(0)) + javaName.substring(1) + "Image";
    }

    /**
     * The C qualifiers the header puts before a variable of this section: {@code const volatile}
     * for {@code .rodata} ({@code const} is what makes clang place it there, {@code volatile} keeps
     * clang from folding the initial 0 into the program, as libbpf's configuration globals do).
     *
     * @return the qualifiers with a trailing space, or the empty string
     */
    public String cQualifiers() {
        return readOnlyAfterLoad() ? "const volatile " : "";
    }

    /** {@return the suffix of the struct mirroring the section in C: {@code percpu}, {@code data}, {@code bss}, {@code rodata}} */
    public String cSuffix() {
        return elfName.substring(1);
    }
}

package dev.bpfglobals.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ELF global-data section and the map libbpf makes of it.
 *
 * <p>For {@code .percpu} that is one {@link MapType#PERCPU_ARRAY} with a 4-byte key, one entry, and
 * the whole section as its value; for {@code .data} an {@link MapType#ARRAY} of the same shape.
 *
 * @param name       the ELF section name, e.g. {@code .percpu}
 * @param mapType    the kind of map the section becomes
 * @param keySize    key size in bytes (always 4 for global data)
 * @param valueSize  section size in bytes: the last byte of the last variable, no tail padding
 * @param maxEntries number of entries (always 1 for global data)
 * @param alignment  the section's alignment: the largest variable alignment
 * @param variables  the variables in section order
 */
public record SectionContract(String name, MapType mapType, int keySize, int valueSize, int maxEntries,
        int alignment, List<VariableContract> variables) {

    /** The section name libbpf gives per-CPU globals. */
    public static final String PERCPU = ".percpu";
    /** The section name of ordinary initialised globals. */
    public static final String DATA = ".data";

    /** Copies the variable list so the contract cannot change under its holder. */
    public SectionContract {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mapType, "mapType");
        variables = List.copyOf(variables);
    }

    /**
     * Finds a variable by the name the BPF program uses for it.
     *
     * @param variableName the C identifier of the variable
     * @return the variable with this name, or empty if the section has none
     */
    public Optional<VariableContract> variable(String variableName) {
        return variables.stream().filter(v -> v.name().equals(variableName)).findFirst();
    }
}

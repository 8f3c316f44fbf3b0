package dev.bpfglobals.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The machine-readable description of the global sections one annotated record declares.
 *
 * <p>The processor writes it as {@code META-INF/bpf-globals/<binary name>.json}; the generated
 * accessor carries the same value as a constant. The runtime and loader check loaded maps and BPF
 * objects against it.
 *
 * @param record   fully qualified name of the annotated record
 * @param sections the sections it declares, {@code .percpu} first when present
 */
public record GlobalsContract(String record, List<SectionContract> sections) {

    /** Copies the section list so the contract cannot change under its holder. */
    public GlobalsContract {
        Objects.requireNonNull(record, "record");
        sections = List.copyOf(sections);
    }

    /**
     * Finds a section by its ELF name.
     *
     * @param name the ELF section name, e.g. {@link SectionContract#PERCPU}
     * @return the section with this name, or empty if the record declares none
     */
    public Optional<SectionContract> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}

package dev.bpfglobals.processor.layout;

import java.util.Comparator;
import java.util.List;

/**
 * The layout clang gives a data section whose variables all have initialisers: definition order,
 * each variable at its natural alignment, size ending at the last byte of the last variable (no
 * tail padding), section alignment the largest variable alignment. (Variables without an
 * initialiser would be emitted after the others, which is why the generated header initialises
 * every one.)
 *
 * @param name      the ELF section name
 * @param variables the variables at their offsets
 */
public record SectionLayout(String name, List<CType.Placed> variables) {

    /** Copies the variables, so the layout cannot change under its holder. */
    public SectionLayout {
        variables = List.copyOf(variables);
    }

    /**
     * Lays out variables in order as clang does for a section.
     *
     * @param name   the ELF section name
     * @param fields the variables in definition order
     * @return the layout
     */
    public static SectionLayout of(String name, List<CType.Field> fields) {
        return new SectionLayout(name, Layouts.place(fields));
    }

    /** {@return the section size: the end of the last variable, 0 for no variables} */
    public int size() {
        return variables.isEmpty() ? 0 : variables.getLast().end();
    }

    /** {@return the section's alignment: the largest variable alignment, at least 1} */
    public int alignment() {
        return variables.stream().mapToInt(v -> v.type().alignment()).max().orElse(1);
    }

    /** {@return the bytes between variables that hold no data (padding inside nested structs not counted)} */
    public int padding() {
        return size() - variables.stream().mapToInt(v -> v.type().size()).sum();
    }

    /**
     * The same variables ordered by decreasing alignment (stable), an order that leaves no padding
     * between variables of this section.
     *
     * @return the variables' names in that order
     */
    public List<String> paddingFreeOrder() {
        return variables.stream()
                .sorted(Comparator.comparingInt((CType.Placed v) -> v.type().alignment()).reversed())
                .map(CType.Placed::name)
                .toList();
    }
}

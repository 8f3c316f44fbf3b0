package dev.bpfglobals.runtime.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of checking something (a BPF object, a map) against a record's contract, section by
 * section: empty differences everywhere means the Java record and the C program agree.
 *
 * @param record   the record the contract belongs to
 * @param sections one report per section the contract declares, in the contract's order
 */
public record ContractReport(String record, List<SectionReport> sections) {

    /** Copies the list. */
    public ContractReport {
        Objects.requireNonNull(record, "record");
        sections = List.copyOf(sections);
    }

    /**
     * How one section compares.
     *
     * @param section     the section's name
     * @param present     whether the checked object has the section at all
     * @param differences every difference, empty when the section matches
     */
    public record SectionReport(String section, boolean present, List<LayoutDifference> differences) {

        /** Copies the list. */
        public SectionReport {
            Objects.requireNonNull(section, "section");
            differences = List.copyOf(differences);
        }

        /** Compares {@code actual} (the layout found) with {@code expected}, naming the section in section-wide differences. */
        public static SectionReport compare(SectionContract expected, SectionContract actual) {
            List<LayoutDifference> differences = new ArrayList<>();
            for (LayoutDifference difference : LayoutComparison.compare(expected, actual)) {
                differences.add(difference.variable() == null
                        ? new LayoutDifference(null, expected.name() + " " + difference.property(), difference.expected(),
                                difference.actual())
                        : difference);
            }
            return new SectionReport(expected.name(), true, differences);
        }

        /** A section the contract declares and the checked object lacks. */
        public static SectionReport missing(String section) {
            return new SectionReport(section, false,
                    List.of(new LayoutDifference(null, "section " + section, "present", "missing")));
        }

        /** Whether the section is present and matches. */
        public boolean matches() {
            return present && differences.isEmpty();
        }
    }

    /** Whether every section matches. */
    public boolean matches() {
        return sections.stream().allMatch(SectionReport::matches);
    }

    /** Every difference of every section, in order. */
    public List<LayoutDifference> differences() {
        return sections.stream().flatMap(s -> s.differences().stream()).toList();
    }

    /** One line per difference, each starting with its section, e.g. {@code .percpu: variable 'b': offset expected 8, found 16}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (SectionReport section : sections) {
            for (LayoutDifference difference : section.differences()) {
                out.append(section.section()).append(": ").append(difference.describe()).append('\n');
            }
        }
        return out.toString();
    }
}

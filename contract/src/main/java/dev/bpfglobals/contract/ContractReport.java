package dev.bpfglobals.contract;

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

    /** Copies the list, so the report cannot change under its holder. */
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

        /** Copies the list, so the report cannot change under its holder. */
        public SectionReport {
            Objects.requireNonNull(section, "section");
            differences = List.copyOf(differences);
        }

        /**
         * The report of a section the checked object has: every {@link LayoutComparison#compare difference}.
         *
         * @param expected the section as the record's contract declares it
         * @param actual   the section's layout as found in the object or map checked
         * @return a report of a present section, named as {@code expected} is
         */
        public static SectionReport compare(SectionContract expected, SectionContract actual) {
            return new SectionReport(expected.name(), true, LayoutComparison.compare(expected, actual));
        }

        /**
         * The report of a section the contract declares and the checked object lacks: one
         * {@link LayoutDifference#PRESENCE} difference, which reads {@code section expected, not found}.
         *
         * @param section the ELF name of the missing section
         * @return a report of an absent section
         */
        public static SectionReport missing(String section) {
            return new SectionReport(section, false,
                    List.of(new LayoutDifference(null, LayoutDifference.PRESENCE, "present", LayoutDifference.MISSING)));
        }

        /**
         * Whether the program can use this section as the record describes it.
         *
         * @return {@code true} if the section is present and has no differences
         */
        public boolean matches() {
            return present && differences.isEmpty();
        }
    }

    /**
     * Whether the Java record and the C program agree on every section, so the record's accessor
     * may read and write the object's maps.
     *
     * @return {@code true} if every section {@link SectionReport#matches() matches}
     */
    public boolean matches() {
        return sections.stream().allMatch(SectionReport::matches);
    }

    /**
     * Every difference of every section, for a caller that handles them one by one.
     *
     * @return the differences in section order, then in each section's order; empty if all match
     */
    public List<LayoutDifference> differences() {
        return sections.stream().flatMap(s -> s.differences().stream()).toList();
    }

    /**
     * The differences as text, to put in an error message or a tool's output.
     *
     * @return one line per difference, each starting with its section, e.g.
     *         {@code .percpu: variable 'b': offset expected 8, found 16}; empty if all match
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (SectionReport section : sections) {
            for (LayoutDifference difference : section.differences()) {
                out.append(section.section()).append(": ").append(difference.describe()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The whole message for an object that does not match: which record, which object, which side
     * "expected" and "found" are, every difference, and how to rebuild the object.
     *
     * @param object how to name the object checked, e.g. its path or class path resource
     * @return a multi-line message, ending with {@link #rebuildAdvice}
     */
    public String describeStaleObject(String object) {
        StringBuilder out = new StringBuilder("BPF object ").append(object).append(" does not match the Java record ")
                .append(record).append(" (expected: the record; found: the object):\n");
        describe().lines().forEach(line -> out.append("  ").append(line).append('\n'));
        return out.append(rebuildAdvice(record, object)).toString();
    }

    /**
     * What to do when what was built from a BPF object ({@code object}: the object, or a map an
     * object made) does not match {@code record}: rebuild the object against the record's header.
     *
     * @param record the fully qualified name of the record, which names its header
     * @param object how to name the object, e.g. its path or class path resource
     * @return one paragraph saying why the object may differ and the commands that rebuild it
     */
    public static String rebuildAdvice(String record, String object) {
        return "It was built from another version of the record, or its C source declares these globals itself."
                + " Rebuild " + object + " against the record's header " + HEADER_DIRECTORY + "/" + record + ".h, which the"
                + " bpf-globals processor writes to the record's class output: with bpf-globals-maven-plugin (goal compile-bpf),"
                + " or clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -I<class output>/" + HEADER_DIRECTORY
                + " [-DBPF_GLOBALS_COMPAT] -c NAME.bpf.c -o NAME.bpf.o";
    }

    /** Where the processor writes a record's header and contract, relative to the class output. */
    public static final String HEADER_DIRECTORY = "META-INF/bpf-globals";
}

package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One integer variable (or integer array) of a section, as an exporter reads it: where its bytes
 * are, how wide and signed each element is, and whether it is a counter or a gauge.
 *
 * @param name        the C name, which becomes the metric name's last part
 * @param offset      byte offset inside the section (inside one CPU's copy for a per-CPU map)
 * @param elementSize bytes per element: 1, 2, 4 or 8
 * @param length      number of elements; 1 for a scalar
 * @param array       whether it is an array, whose series carry an {@code index} label (even {@code [1]})
 * @param signed      whether C reads the elements as signed
 * @param kind        counter, gauge, or log2 histogram (an array of unsigned counts, element
 *                    {@code i} the bucket of values up to {@code 2^i})
 */
public record ExportedVariable(String name, int offset, int elementSize, int length, boolean array, boolean signed,
        MetricKind kind) {

    /** The integer types the contract spells, with an optional array length: {@code __u64}, {@code __s32[8]}. */
    private static final Pattern INTEGER = Pattern.compile("__([us])(8|16|32|64)(?:\\[(\\d+)])?");

    /** The most buckets a log2 histogram can have: beyond, {@code 2^i} is no finite double. */
    static final int MAX_HISTOGRAM_BUCKETS = 1023;

    /** Rejects element sizes no integer has, arrays of no element, and histograms that are no unsigned array. */
    public ExportedVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (elementSize != 1 && elementSize != 2 && elementSize != 4 && elementSize != 8 || length < 1 || offset < 0) {
            throw new IllegalArgumentException("variable '" + name + "': element size " + elementSize + ", length "
                    + length + ", offset " + offset + " is not an integer variable");
        }
        if (kind == MetricKind.LOG2_HISTOGRAM && (!array || signed || length > MAX_HISTOGRAM_BUCKETS)) {
            throw new IllegalArgumentException("variable '" + name + "' is a log2-histogram but not an array of 1 to "
                    + MAX_HISTOGRAM_BUCKETS + " unsigned integers (" + (signed ? "signed" : "unsigned") + ", "
                    + (array ? length + " elements" : "a scalar") + ")");
        }
    }

    /** Bytes the variable spans. */
    public int size() {
        return elementSize * length;
    }

    /**
     * The exportable variables of {@code section}: its integer scalars and integer arrays, each of the
     * kind the contract records or else {@link MetricKind#defaultFor}. Other variables (structs,
     * enums, {@code _Bool}, {@code char}) have no single number to export and are left out.
     */
    public static List<ExportedVariable> of(SectionContract section) {
        List<ExportedVariable> variables = new ArrayList<>();
        for (VariableContract variable : section.variables()) {
            of(section.name(), variable).ifPresent(variables::add);
        }
        return variables;
    }

    /** {@code variable} as an exported variable, if it is an integer or an array of integers. */
    public static Optional<ExportedVariable> of(String section, VariableContract variable) {
        Matcher type = INTEGER.matcher(variable.cType());
        if (!type.matches()) {
            return Optional.empty();
        }
        boolean signed = type.group(1).equals("s");
        int elementSize = Integer.parseInt(type.group(2)) / 8;
        boolean array = type.group(3) != null;
        int length = array ? Integer.parseInt(type.group(3)) : 1;
        if (elementSize * length != variable.size()) {
            return Optional.empty(); // the spelling and the size disagree: not a type this reader understands
        }
        MetricKind kind = variable.metric() != null ? variable.metric() : MetricKind.defaultFor(section, !signed);
        return Optional.of(new ExportedVariable(variable.name(), variable.offset(), elementSize, length, array, signed, kind));
    }
}

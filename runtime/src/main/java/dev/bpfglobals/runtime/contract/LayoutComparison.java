package dev.bpfglobals.runtime.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the layout a contract expects with the layout actually found, variable by variable.
 *
 * <p>Both the runtime (against a map's BTF) and the loader (against a BPF object's symbols) use this
 * one comparison, so that "the Java record and the C program drifted apart" reads the same
 * wherever it is detected.
 */
public final class LayoutComparison {

    private LayoutComparison() {
    }

    /**
     * Every difference between {@code expected} and {@code actual}, in the expected section order
     * followed by variables only the actual layout has; empty when they agree.
     *
     * <p>C types are compared only where both sides name one, since a kernel's BTF may spell the
     * same type differently (a typedef versus its target).
     */
    public static List<LayoutDifference> compare(SectionContract expected, SectionContract actual) {
        List<LayoutDifference> differences = new ArrayList<>();
        if (expected.valueSize() != actual.valueSize()) {
            differences.add(new LayoutDifference(null, "value size",
                    expected.valueSize() + " bytes", actual.valueSize() + " bytes"));
        }
        Map<String, VariableContract> found = byName(actual.variables());
        for (VariableContract want : expected.variables()) {
            VariableContract got = found.get(want.name());
            if (got == null) {
                differences.add(new LayoutDifference(want.name(), LayoutDifference.PRESENCE, "at offset " + want.offset(),
                        LayoutDifference.MISSING));
                continue;
            }
            if (want.offset() != got.offset()) {
                differences.add(new LayoutDifference(want.name(), "offset", "" + want.offset(), "" + got.offset()));
            }
            if (want.size() != got.size()) {
                differences.add(new LayoutDifference(want.name(), "size", want.size() + " bytes", got.size() + " bytes"));
            }
            if (!want.cType().isEmpty() && !got.cType().isEmpty() && !want.cType().equals(got.cType())) {
                differences.add(new LayoutDifference(want.name(), "C type", want.cType(), got.cType()));
            }
        }
        Map<String, VariableContract> wanted = byName(expected.variables());
        for (VariableContract got : actual.variables()) {
            if (!wanted.containsKey(got.name())) {
                differences.add(new LayoutDifference(got.name(), LayoutDifference.PRESENCE, LayoutDifference.ABSENT,
                        "at offset " + got.offset()));
            }
        }
        return differences;
    }

    private static Map<String, VariableContract> byName(List<VariableContract> variables) {
        return variables.stream().collect(Collectors.toMap(VariableContract::name, Function.identity(), (a, b) -> a));
    }
}

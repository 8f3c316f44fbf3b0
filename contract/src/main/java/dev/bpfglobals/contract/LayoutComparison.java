package dev.bpfglobals.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Compares the layout a contract expects with the layout actually found, variable by variable.
 *
 * <p>The runtime (against a map's BTF), the loader (against a BPF object's symbols) and the
 * exporter (against a map it is to publish) use this one comparison, so that "the Java record and
 * the C program drifted apart" reads the same wherever it is detected.
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
     *
     * @param expected the section as the record's contract declares it
     * @param actual   the section's layout as found in a BPF object or a map's BTF
     * @return the differences, in the order described; empty when the layouts agree
     */
    public static List<LayoutDifference> compare(SectionContract expected, SectionContract actual) {
        List<LayoutDifference> differences = compareShape(expected, actual.mapType().kernelValue(), actual.keySize(),
                actual.valueSize(), actual.maxEntries());
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

    /**
     * Every way a map of {@code kernelType} (the kernel's map type number), {@code keySize},
     * {@code valueSize} and {@code maxEntries} differs from the map {@code expected} describes: the
     * shape the kernel itself checks, whatever the map's bytes mean. Properties are named
     * {@code map type}, {@code key size}, {@code value size} and {@code max entries}; empty when
     * they agree. The one shape check of the runtime (binding a live map), the loader (a compat map
     * standing for a per-CPU section) and {@link #compare}.
     *
     * @param expected   the section as the record's contract declares it
     * @param kernelType the map's type, a value of the kernel's {@code enum bpf_map_type}
     * @param keySize    the map's key size in bytes
     * @param valueSize  the map's value size in bytes
     * @param maxEntries the map's maximum number of entries
     * @return the shape differences; empty when the shapes agree
     */
    public static List<LayoutDifference> compareShape(SectionContract expected, int kernelType, int keySize, int valueSize,
            int maxEntries) {
        List<LayoutDifference> differences = new ArrayList<>();
        String type = MapType.fromKernel(kernelType).map(Enum::name).orElse("type " + kernelType);
        compare(differences, "map type", expected.mapType().name(), type);
        compare(differences, "key size", expected.keySize() + " bytes", keySize + " bytes");
        compare(differences, "value size", expected.valueSize() + " bytes", valueSize + " bytes");
        compare(differences, "max entries", "" + expected.maxEntries(), "" + maxEntries);
        return differences;
    }

    /**
     * Every way a live map differs from the map {@code expected} describes, before any of its bytes
     * are read under the contract's names: its shape ({@link #compareShape}) and, only where the
     * shape agrees and the map's BTF gives its layout, its variables' names, offsets, sizes and C
     * types. The one check of binding a map and of exporting one.
     *
     * @param expected   the section as the record's contract declares it
     * @param kernelType the map's type, a value of the kernel's {@code enum bpf_map_type}
     * @param keySize    the map's key size in bytes
     * @param valueSize  the map's value size in bytes
     * @param maxEntries the map's maximum number of entries
     * @param btfLayout  the map's layout from its BTF, if it has one; asked for only when the shape
     *                   agrees, since reading a map's BTF costs syscalls and a map of another shape
     *                   is refused without it
     * @return the shape differences, or, if the shape agrees, the variable differences; empty
     *         when the map matches
     */
    public static List<LayoutDifference> compareMap(SectionContract expected, int kernelType, int keySize, int valueSize,
            int maxEntries, Supplier<Optional<SectionContract>> btfLayout) {
        List<LayoutDifference> differences = compareShape(expected, kernelType, keySize, valueSize, maxEntries);
        if (differences.isEmpty()) {
            // The shape is already known to agree: only what the variables say is news.
            btfLayout.get().ifPresent(actual -> compare(expected, actual).stream()
                    .filter(d -> d.variable() != null).forEach(differences::add));
        }
        return differences;
    }

    private static void compare(List<LayoutDifference> into, String property, String expected, String actual) {
        if (!expected.equals(actual)) {
            into.add(new LayoutDifference(null, property, expected, actual));
        }
    }

    private static Map<String, VariableContract> byName(List<VariableContract> variables) {
        return variables.stream().collect(Collectors.toMap(VariableContract::name, Function.identity(), (a, b) -> a));
    }
}

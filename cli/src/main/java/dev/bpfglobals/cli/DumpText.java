package dev.bpfglobals.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code dump} without {@code --json}: the values {@link DumpJson} writes, one variable a line. A
 * per-CPU map gives each possible CPU's value and, for integers, their total:
 * <pre>
 * map .percpu (id 41), 2 possible CPUs
 *   runs                      cpu0=103  cpu1=102  total=205
 *   marks                     cpu0=[251, 251, 251]  cpu1=[251, 251, 0]
 * </pre>
 * the others their one value: {@code   pair                      {low: 0, high: 0}}. Names are escaped ({@link Printable}).
 */
final class DumpText {

    private DumpText() {
    }

    /** {@code map}'s lines, each ending in a line break. */
    static String of(DumpedMap map) {
        StringBuilder out = new StringBuilder("map " + Printable.name(map.info().name()) + " (id " + map.info().id() + ")");
        if (!map.perCpu()) {
            out.append('\n');
            for (Value.Field field : map.decoded(0).fields()) {
                out.append("  ").append(Columns.left(Printable.name(field.name()), 24)).append("  ").append(ValueText.of(field.value()))
                        .append(System.lineSeparator());
            }
            return out.toString();
        }
        out.append(", ").append(map.cpus().count()).append(" possible CPUs").append(System.lineSeparator());
        List<Value.Fields> cpus = new ArrayList<>();
        for (int slot = 0; slot < map.values().size(); slot++) {
            cpus.add(map.decoded(slot));
        }
        Set<String> integers = Set.copyOf(map.integers());
        for (int index = 0; index < cpus.getFirst().fields().size(); index++) {
            String name = cpus.getFirst().fields().get(index).name();
            StringBuilder line = new StringBuilder("  " + Columns.left(Printable.name(name), 24));
            BigInteger total = BigInteger.ZERO;
            for (int slot = 0; slot < cpus.size(); slot++) {
                Value value = cpus.get(slot).fields().get(index).value();
                line.append("  cpu").append(map.cpus().cpuAt(slot)).append('=').append(ValueText.of(value));
                total = value instanceof Value.Whole whole ? total.add(whole.value()) : total;
            }
            out.append(line).append(integers.contains(name) ? "  total=" + total : "").append('\n');
        }
        return out.toString();
    }
}

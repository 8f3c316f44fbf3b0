package dev.bpfglobals.cli;

/**
 * {@code dump} without {@code --json} of a map with keys: the values {@link EntriesJson} writes, one
 * entry a line, each CPU's value in turn for a per-CPU map:
 * <pre>
 * map counts (HASH, id 12), 2 entries
 *   key 1  value {packets: 3, bytes: 180}
 *   key 7  value {packets: 1, bytes: 60}
 * map hits (PERCPU_ARRAY, id 13), 1 entry, 2 possible CPUs
 *   key 0  cpu0=4  cpu1=0
 * </pre>
 * Names are escaped ({@link Printable}).
 */
final class EntriesText {

    private EntriesText() {
    }

    /** {@code map}'s lines, each ending in a line break. */
    static String of(DumpedEntries map) {
        int count = map.entries().size();
        StringBuilder out = new StringBuilder(String.format("map %s (%s, id %d), %d %s", Printable.name(map.info().name()),
                map.info().typeName(), map.info().id(), count, count == 1 ? "entry" : "entries"));
        out.append(map.perCpu() ? String.format(", %d possible CPUs%n", map.cpus().count()) : "\n");
        for (DumpedEntries.Entry entry : map.entries()) {
            out.append("  key ").append(ValueText.of(entry.key()));
            if (map.perCpu()) {
                for (int slot = 0; slot < entry.values().size(); slot++) {
                    out.append("  cpu").append(map.cpus().cpuAt(slot)).append('=').append(ValueText.of(entry.values().get(slot)));
                }
            } else {
                out.append("  value ").append(ValueText.of(entry.values().getFirst()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dump (--pinned PATH | --id N) [--json]}: a live global-section map's variables, decoded by
 * the map's own BTF, as text ({@link DumpText}) or JSON ({@link DumpJson}) from the same values
 * ({@link DumpedMap}); any other map with keys entry by entry, in bpftool's JSON shape
 * ({@link DumpedEntries}, {@link EntriesJson}, {@link EntriesText}). The map is opened read-only and read once.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals dump (--pinned PATH | --id N) [--json]",
        description = {"Prints a live map's variables or entries, decoded by its BTF.",
                "",
                "The map is opened read-only and read once. The variables of a global section's map"
                + " (.percpu, .data, .bss, .rodata ...) are decoded by the map's own BTF, in text as in JSON: a"
                + " per-CPU map's values per possible CPU, with totals for integers. Any other map with keys (hash, array,"
                + " per-CPU, LRU, LPM trie, map of maps; a program array's filled slots, value = program id) prints every"
                + " entry, key and value decoded by its BTF,"
                + " sorted by key; its JSON is bpftool's: [{\"key\": ..., \"value\": ...}], per-CPU maps"
                + " with \"values\": [{\"cpu\": N, \"value\": ...}]. Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals dump --pinned /sys/fs/bpf/ticks/maps/_percpu --json"})
final class DumpCommand extends CliCommand {

    @Option(names = "--pinned", paramLabel = "PATH", description = "The map pinned at PATH (on bpffs).")
    private Path pinned;

    @Option(names = "--id", paramLabel = "N", description = "The map with id N (bpftool map list).")
    private String id;

    @Option(names = "--json", description = "Print JSON: {\"map\": ..., \"variables\": {...}} or [{\"key\": ...}].")
    private boolean json;

    @Override
    public Integer call() {
        if ((pinned == null) == (id == null)) {
            throw usage(pinned == null ? "no map: give --pinned PATH or --id N" : "give --pinned or --id, not both");
        }
        try (BpfMap map = pinned != null ? BpfMap.openPinned(pinned, MapAccess.READ_ONLY)
                : BpfMap.openById(id(id), MapAccess.READ_ONLY)) {
            if (DumpedMap.isGlobalSection(map)) {
                DumpedMap dumped = DumpedMap.read(map);
                out().print(json ? DumpJson.of(dumped) + "\n" : DumpText.of(dumped));
            } else {
                DumpedEntries entries = DumpedEntries.read(map);
                out().print(json ? EntriesJson.of(entries) + "\n" : EntriesText.of(entries));
            }
        }
        return 0;
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--id " + text + ": not a map id (a number, as bpftool map list shows)");
        }
    }
}

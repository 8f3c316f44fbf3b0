package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.contract.SectionContract;
import dev.bpfglobals.runtime.contract.VariableContract;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dump (--pinned PATH | --id N) [--json]}: a live global-section map's variables, named by
 * the map's own BTF. The map is opened read-only and read once.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals dump (--pinned PATH | --id N) [--json]",
        description = {"Prints a live global-section map's variables, decoded by its BTF.",
                "",
                "The map (.percpu, .data, .bss, .rodata, ...) is opened read-only and read once. Each"
                + " variable is decoded by the map's own BTF, in text as in JSON: a per-CPU map's values per"
                + " possible CPU, with totals for integers. Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals dump --pinned /sys/fs/bpf/ticks/maps/_percpu --json"})
final class DumpCommand extends CliCommand {

    @Option(names = "--pinned", paramLabel = "PATH", description = "The map pinned at PATH (on bpffs).")
    private Path pinned;

    @Option(names = "--id", paramLabel = "N", description = "The map with id N (bpftool map list).")
    private String id;

    @Option(names = "--json", description = "Print JSON: {\"map\": ..., \"variables\": {...}}.")
    private boolean json;

    @Override
    public Integer call() {
        if ((pinned == null) == (id == null)) {
            throw usage(pinned == null ? "no map: give --pinned PATH or --id N" : "give --pinned or --id, not both");
        }
        if (json) {
            try (BpfMap map = pinned != null ? BpfMap.openPinned(pinned, MapAccess.READ_ONLY)
                    : BpfMap.openById(id(id), MapAccess.READ_ONLY)) {
                out().println(DumpJson.of(map));
            }
            return 0;
        }
        try (PerCpuArrayMap map = pinned != null ? PerCpuArrayMap.openPinned(pinned, MapAccess.READ_ONLY)
                : PerCpuArrayMap.openById(id(id), MapAccess.READ_ONLY)) {
            PossibleCpus cpus = PossibleCpus.system();
            int valueSize = map.info().valueSize();
            long stride = (valueSize + 7) & ~7L;
            MemorySegment all = Arena.ofAuto().allocate(stride * cpus.count(), 8);
            map.lookupAll(all);
            List<VariableContract> variables = map.btfLayout().map(SectionContract::variables)
                    .orElse(List.of(new VariableContract("value", "", 0, valueSize, 1)));
            out().printf("map %s (id %d), %d possible CPUs%n", map.info().name(), map.info().id(), cpus.count());
            for (VariableContract v : variables) {
                StringBuilder line = new StringBuilder(String.format("  %-24s", v.name()));
                long total = 0;
                boolean integer = v.size() == 1 || v.size() == 2 || v.size() == 4 || v.size() == 8;
                for (int slot = 0; slot < cpus.count(); slot++) {
                    MemorySegment bytes = all.asSlice(slot * stride + v.offset(), v.size());
                    if (integer) {
                        long value = unsigned(bytes, v.size());
                        total += value;
                        line.append(String.format("  cpu%d=%s", cpus.cpuAt(slot), Long.toUnsignedString(value)));
                    } else {
                        line.append("  cpu").append(cpus.cpuAt(slot)).append('=')
                                .append(HexFormat.of().formatHex(bytes.toArray(ValueLayout.JAVA_BYTE)));
                    }
                }
                out().println(line + (integer ? "  total=" + Long.toUnsignedString(total) : ""));
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

    private static long unsigned(MemorySegment bytes, int size) {
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(bytes.get(ValueLayout.JAVA_BYTE, 0));
            case 2 -> Short.toUnsignedLong(bytes.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
            case 4 -> Integer.toUnsignedLong(bytes.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            default -> bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        };
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.object.BpfObject;
import dev.bpfglobals.runtime.object.GlobalSection;
import dev.bpfglobals.runtime.object.GlobalVariable;
import dev.bpfglobals.runtime.object.MapSpec;
import dev.bpfglobals.runtime.object.ProgramSpec;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code bpf-globals inspect OBJ.o | check OBJ.o --record FQCN --classpath CP | features
 * | dump --pinned PATH|--id N [--json] | load OBJ.o --pin DIR [--set SECTION.VAR=VALUE ...] [--kernel-btf FILE]
 * | run DIR/progs/NAME --cpu N [--repeat R] | export --listen HOST:PORT [--per-cpu] [--classpath CP] PIN[=CONTRACT.json|=record:FQCN]...}. Errors are one line on stderr and a non-zero exit
 * (1: the command failed, 2: usage); {@code --verbose} adds the stack trace.
 */
public final class BpfGlobalsCli {

    private static final String USAGE = "usage: bpf-globals inspect OBJ.o [--json] | check OBJ.o (--contract X.json"
            + " | --record FQCN --classpath DIR_OR_JAR) | features | dump (--pinned PATH | --id N) [--json]"
            + " | load OBJ.o --pin DIR [--set SECTION.VAR=VALUE ...] [--kernel-btf FILE] | run DIR/progs/NAME --cpu N [--repeat R]"
            + " | export --listen HOST:PORT [--per-cpu] [--otlp URL [--otlp-interval S]] [--classpath CP] PIN[=CONTRACT.json|=record:FQCN]...   [--verbose]";

    private BpfGlobalsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(Arrays.asList(args));
        boolean verbose = words.remove("--verbose");
        if (words.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try {
            return switch (words.getFirst()) {
                case "inspect" -> inspect(words, out, err);
                case "check" -> check(words, out, err);
                case "features" -> features(out);
                case "dump" -> dump(words, out, err);
                case "load" -> LoadCommand.run(words, out, err);
                case "run" -> RunCommand.run(words, out, err);
                case "export" -> ExportCommand.run(words, out, err);
                default -> {
                    err.println("bpf-globals: unknown command '" + words.getFirst() + "'; " + USAGE);
                    yield 2;
                }
            };
        } catch (Exception e) {
            err.println("bpf-globals: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static int inspect(List<String> words, PrintStream out, PrintStream err) throws Exception {
        boolean json = words.remove("--json");
        if (words.size() != 2) {
            err.println(USAGE);
            return 2;
        }
        BpfObject object = BpfObject.open(Path.of(words.get(1)));
        if (json) {
            out.println(InspectJson.of(object));
            return 0;
        }
        for (GlobalSection section : object.globalSections()) {
            out.printf("section %s (%d bytes, map %s)%n", section.name(), section.size(), section.mapType());
            byte[] image = section.initialImage();
            for (GlobalVariable v : section.variables()) {
                out.printf("  %-24s offset %5d  size %5d  initial %s%s%n", v.name(), v.offset(), v.size(),
                        HexFormat.of().formatHex(image, v.offset(), Math.min(v.end(), v.offset() + 32))
                                + (v.size() > 32 ? "..." : ""), v.cType().isEmpty() ? "" : "  " + v.cType());
            }
        }
        for (MapSpec map : object.maps()) {
            out.printf("map %s: %s, key %d, value %d, max entries %d%s%n", map.name(), mapTypeName(map.type()),
                    map.keySize(), map.valueSize(), map.maxEntries(), innerMap(map));
        }
        for (ProgramSpec program : object.programs()) {
            out.printf("program %s: section %s, type %s, %d instructions, %d relocations%n", program.name(),
                    program.section(), program.type(), program.instructionCount(), program.relocationCount());
        }
        return 0;
    }

    /** {@code PERCPU_ARRAY} for the types the runtime names, else the kernel's number: {@code type 22}. */
    /** For a map of maps, its inner definition and initial slots, so the listing does not hide them. */
    private static String innerMap(MapSpec map) {
        return map.innerMap().map(inner -> String.format("; inner %s, key %d, value %d, max entries %d%s", mapTypeName(inner.type()),
                inner.keySize(), inner.valueSize(), inner.maxEntries(), map.slots().isEmpty() ? "" : "; slots " + map.slots()))
                .orElse("");
    }

    static String mapTypeName(int kernelValue) {
        return MapType.fromKernel(kernelValue).map(MapType::name).orElse("type " + kernelValue);
    }

    private static int check(List<String> words, PrintStream out, PrintStream err) throws Exception {
        int record = words.indexOf("--record");
        int classpath = words.indexOf("--classpath");
        int contractFile = words.indexOf("--contract");
        boolean byRecord = words.size() == 6 && record > 1 && classpath > 1;
        boolean byFile = words.size() == 4 && contractFile == 2;
        if (!byRecord && !byFile) {
            err.println(USAGE);
            return 2;
        }
        BpfObject object = BpfObject.open(Path.of(words.get(1)));
        GlobalsContract contract = byFile
                ? ContractJson.parse(java.nio.file.Files.readString(Path.of(words.get(contractFile + 1))))
                : RecordContracts.of(words.get(record + 1), words.get(classpath + 1));
        ContractReport report = object.checkAgainst(contract);
        if (report.matches()) {
            out.println(words.get(1) + " matches " + contract.record());
            return 0;
        }
        out.println(report.describeStaleObject(words.get(1)));
        return 1;
    }

    private static int features(PrintStream out) {
        BpfFeatures features = BpfFeatures.probe();
        features.details().lines().forEach(out::println);
        return 0;
    }

    private static int dump(List<String> words, PrintStream out, PrintStream err) {
        boolean json = words.remove("--json");
        if (words.size() != 3 || !(words.get(1).equals("--pinned") || words.get(1).equals("--id"))) {
            err.println(USAGE);
            return 2;
        }
        if (json) {
            try (BpfMap map = words.get(1).equals("--pinned") ? BpfMap.openPinned(Path.of(words.get(2)), MapAccess.READ_ONLY)
                    : BpfMap.openById(id(words.get(2)), MapAccess.READ_ONLY)) {
                out.println(DumpJson.of(map));
            }
            return 0;
        }
        try (PerCpuArrayMap map = words.get(1).equals("--pinned")
                ? PerCpuArrayMap.openPinned(Path.of(words.get(2)), MapAccess.READ_ONLY)
                : PerCpuArrayMap.openById(id(words.get(2)), MapAccess.READ_ONLY)) {
            PossibleCpus cpus = PossibleCpus.system();
            int valueSize = map.info().valueSize();
            long stride = (valueSize + 7) & ~7L;
            MemorySegment all = Arena.ofAuto().allocate(stride * cpus.count(), 8);
            map.lookupAll(all);
            List<VariableContract> variables = map.btfLayout().map(SectionContract::variables)
                    .orElse(List.of(new VariableContract("value", "", 0, valueSize, 1)));
            out.printf("map %s (id %d), %d possible CPUs%n", map.info().name(), map.info().id(), cpus.count());
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
                out.println(line + (integer ? "  total=" + Long.toUnsignedString(total) : ""));
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

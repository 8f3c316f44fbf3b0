package dev.bpfglobals.cli;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.GlobalVariable;
import dev.bpfglobals.runtime.MapSpec;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect OBJ.o [--json]}: what an object holds, read from the file alone (no root needed):
 * its global sections with each variable's offset, size, initial bytes and C type, its
 * {@code .maps} maps, and its programs. {@code --json} gives the same facts to other tools ({@link InspectJson}).
 * Names are the object's: escaped ({@link Printable}), since a file can put any bytes in them.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = "bpf-globals inspect OBJ.o [--json]",
        description = {"Lists an object's global sections, variables, maps and programs.",
                "",
                "Each global section (.percpu, .data, .bss, .rodata, ...) with each variable's offset,"
                + " size, initial bytes and C type; each .maps map with its type and sizes (and a map of"
                + " maps' inner map and slots); each program with its section, type, instruction count and"
                + " auto-attach kind (how LoadedObject.attach attaches it from its section alone: KPROBE,"
                + " TRACEPOINT, ...; MANUAL where a method takes the target; - for an unknown section)."
                + " Reads the file alone: no root needed."},
        footer = {"", "Example:", "  bpf-globals inspect counters.bpf.o --json"})
final class InspectCommand extends CliCommand {

    @Parameters(paramLabel = "OBJ.o", description = "The BPF object file (clang -target bpf -g).")
    private Path object;

    @Option(names = "--json", description = "Print JSON, for other tools.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        ObjectSpec opened = ObjectSpec.open(InputFiles.requireFile(object));
        PrintWriter out = out();
        if (json) {
            out.println(InspectJson.of(opened));
            return 0;
        }
        for (GlobalSection section : opened.globalSections()) {
            out.println("section " + Printable.name(section.name()) + " (" + section.size() + " bytes, map " + section.mapType() + ")");
            byte[] image = section.initialImage();
            for (GlobalVariable v : section.variables()) {
                out.println("  " + Columns.left(Printable.name(v.name()), 24) + " offset " + Columns.right(v.offset(), 5)
                        + "  size " + Columns.right(v.size(), 5) + "  initial "
                        + HexFormat.of().formatHex(image, v.offset(), Math.min(v.end(), v.offset() + 32))
                        + (v.size() > 32 ? "..." : "") + (v.cType().isEmpty() ? "" : "  " + Printable.name(v.cType())));
            }
        }
        for (MapSpec map : opened.maps()) {
            out.println("map " + Printable.name(map.name()) + ": " + mapTypeName(map.type()) + ", key " + map.keySize()
                    + ", value " + map.valueSize() + ", max entries " + map.maxEntries() + innerMap(map));
        }
        for (ProgramSpec program : opened.programs()) {
            out.println("program " + Printable.name(program.name()) + ": section " + Printable.name(program.section())
                    + ", type " + program.type() + ", " + program.instructionCount() + " instructions, "
                    + program.relocationCount() + " relocations, auto-attach " + autoAttach(program.section()));
        }
        return 0;
    }

    /** The auto-attach kind the section table gives {@code section}, {@code -} where it has no row. */
    static String autoAttach(String section) {
        return SectionDefinitions.find(section).map(row -> row.autoAttach().name()).orElse("-");
    }

    /** For a map of maps, its inner definition and initial slots, so the listing does not hide them. */
    private static String innerMap(MapSpec map) {
        return map.innerMap().map(inner -> String.format("; inner %s, key %d, value %d, max entries %d%s",
                mapTypeName(inner.type()), inner.keySize(), inner.valueSize(), inner.maxEntries(),
                map.slots().isEmpty() ? "" : "; slots " + Printable.name(map.slots().toString()))).orElse("");
    }

    /** {@code PERCPU_ARRAY} for the types the runtime names, else the kernel's number: {@code type 14}. */
    static String mapTypeName(int kernelValue) {
        return MapType.fromKernel(kernelValue).map(MapType::name).orElse("type " + kernelValue);
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.object.BpfObject;
import dev.bpfglobals.runtime.object.GlobalSection;
import dev.bpfglobals.runtime.object.LoadedObject;
import dev.bpfglobals.runtime.object.MapSpec;
import dev.bpfglobals.runtime.object.ProgramSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code load OBJ.o --pin DIR [--set SECTION.VAR=VALUE ...] [--kernel-btf FILE]}: what {@code bpftool
 * prog loadall OBJ DIR pinmaps DIR/maps} does, for the objects bpftool's libbpf cannot load
 * ({@code .percpu}). The edits go into the initial images before load; {@code --kernel-btf} resolves
 * CO-RE relocations against that raw BTF file instead of the running kernel's, as libbpf's
 * {@code btf_custom_path} does. Every program is loaded and pinned at
 * {@code DIR/progs/NAME}, every map at {@code DIR/maps/NAME}. The pins keep the programs and maps
 * alive after this process exits; remove them with {@code rm -r DIR}.
 */
final class LoadCommand {

    private LoadCommand() {
    }

    static int run(List<String> words, PrintStream out, PrintStream err) throws IOException {
        String object = null;
        String pin = null;
        String kernelBtf = null;
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if ((word.equals("--pin") || word.equals("--set") || word.equals("--kernel-btf")) && i + 1 < words.size()) {
                String argument = words.get(++i);
                if (word.equals("--set")) {
                    sets.add(argument);
                } else if (word.equals("--kernel-btf")) {
                    if (kernelBtf != null) {
                        return usage(err, "--kernel-btf given twice");
                    }
                    kernelBtf = argument;
                } else if (pin == null) {
                    pin = argument;
                } else {
                    return usage(err, "--pin given twice");
                }
            } else if (object == null && !word.startsWith("--")) {
                object = word;
            } else {
                return usage(err, "unexpected '" + word + "'");
            }
        }
        if (object == null || pin == null) {
            return usage(err, object == null ? "no object file" : "no --pin DIR");
        }
        Path customBtf = kernelBtf == null ? null : Path.of(kernelBtf);
        if (customBtf != null && !Files.isRegularFile(customBtf)) {
            throw new IllegalArgumentException("--kernel-btf " + kernelBtf + ": no such file (give a raw BTF file,"
                    + " as /sys/kernel/btf/vmlinux is, e.g. one from BTFHub or copied from the target kernel)");
        }
        BpfObject opened = BpfObject.open(Path.of(object));
        GlobalEdits edits = new GlobalEdits(opened);
        sets.forEach(edits::apply);
        Path dir = Path.of(pin);
        Map<Path, String> maps = new LinkedHashMap<>();
        for (GlobalSection section : opened.globalSections()) {
            plan(maps, dir.resolve("maps"), section.name());
        }
        // A compat map (__percpu_compat, __percpu_compat_<name>) is its per-CPU section's map under
        // another name: pinned once, under the section's name.
        java.util.Set<String> compatMaps = new java.util.HashSet<>();
        for (GlobalSection section : opened.globalSections()) {
            if (section.isPerCpu()) {
                compatMaps.add(LoadedObject.percpuCompatMapName(section.name()));
            }
        }
        for (MapSpec map : opened.maps()) {
            if (!compatMaps.contains(map.name())) {
                plan(maps, dir.resolve("maps"), map.name());
            }
        }
        Map<Path, String> programs = new LinkedHashMap<>();
        for (ProgramSpec program : opened.programs()) {
            plan(programs, dir.resolve("progs"), program.name());
        }
        requireFreeOnBpffs(dir, maps.keySet(), programs.keySet());

        List<Path> made = new ArrayList<>();
        BpfObject edited = edits.result();
        try (LoadedObject loaded = customBtf == null ? LoadedObject.load(edited)
                : LoadedObject.load(edited, BpfFeatures.probe(), customBtf)) {
            for (Path directory : missingDirectories(dir)) {
                try {
                    made.add(Files.createDirectory(directory));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot create directory " + directory + ": " + e, e);
                }
            }
            for (Map.Entry<Path, String> map : maps.entrySet()) {
                loaded.pinMap(map.getValue(), map.getKey());
                made.add(map.getKey());
            }
            for (Map.Entry<Path, String> program : programs.entrySet()) {
                loaded.pinProgram(program.getValue(), program.getKey());
                made.add(program.getKey());
            }
        } catch (RuntimeException e) {
            // All or nothing: a half-pinned object would outlive this process for no one's use.
            for (Path path : made.reversed()) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
        out.println("loaded " + object + ": " + count(programs.size(), "program") + ", " + count(maps.size(), "map"));
        edits.described().forEach(out::println);
        maps.forEach((path, name) -> out.println("pinned map " + name + " at " + path + reachedAs(opened, name)));
        programs.forEach((path, name) -> out.println("pinned program " + name + " at " + path));
        return 0;
    }

    /** For a per-CPU section whose programs reach it through a compat map, which one. */
    private static String reachedAs(BpfObject opened, String section) {
        if (!opened.globalSection(section).map(GlobalSection::isPerCpu).orElse(false)) {
            return "";
        }
        String compat = LoadedObject.percpuCompatMapName(section);
        return opened.map(compat).isPresent() ? " (the programs reach it as " + compat + ")" : "";
    }

    /** Adds {@code name}'s pin under {@code directory}, unless another name already took that file name. */
    private static void plan(Map<Path, String> pins, Path directory, String name) {
        String other = pins.putIfAbsent(directory.resolve(pinName(name)), name);
        if (other != null) {
            throw new IllegalArgumentException("'" + other + "' and '" + name + "' would both be pinned as "
                    + directory.resolve(pinName(name)) + " (bpffs names cannot hold '.', so dots become '_')");
        }
    }

    /**
     * Before anything is loaded: {@code dir} must be on a BPF filesystem (pins cannot be made
     * elsewhere), and nothing may be pinned at the paths yet (the kernel would refuse with EEXIST
     * half-way through).
     */
    private static void requireFreeOnBpffs(Path dir, Iterable<Path> maps, Iterable<Path> programs) throws IOException {
        Path existing = dir.toAbsolutePath().normalize();
        while (!Files.exists(existing)) {
            if (existing.getFileName().toString().contains(".")) {
                throw new IllegalArgumentException("--pin " + dir + ": a BPF file system refuses '.' in the names of"
                        + " new directories (" + existing.getFileName() + ")");
            }
            existing = existing.getParent();
        }
        String type = Files.getFileStore(existing).type();
        if (!type.equals("bpf")) {
            throw new IllegalArgumentException("--pin " + dir + ": " + existing + " is on a " + type
                    + " file system, not a BPF file system; pins can only be made on one (e.g. under /sys/fs/bpf;"
                    + " mount one with: mount -t bpf bpf /sys/fs/bpf)");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--pin " + dir + ": exists and is not a directory");
        }
        for (Iterable<Path> paths : List.of(maps, programs)) {
            for (Path path : paths) {
                if (Files.exists(path)) {
                    throw new IllegalArgumentException("--pin " + dir + ": " + path
                            + " is already pinned; remove it (rm " + path + ") or choose another directory");
                }
            }
        }
    }

    /** The directories to make, parents first: those of {@code dir}, {@code dir/maps} and {@code dir/progs} that do not exist. */
    private static List<Path> missingDirectories(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path parent = dir.toAbsolutePath().normalize(); !Files.exists(parent); parent = parent.getParent()) {
            missing.addFirst(parent);
        }
        for (Path leaf : List.of(dir.resolve("maps"), dir.resolve("progs"))) {
            if (!Files.exists(leaf)) {
                missing.add(leaf);
            }
        }
        return missing;
    }

    /**
     * The file name a map or program is pinned under: its name with each {@code .} replaced by
     * {@code _}, as libbpf pins them, because bpffs refuses dots in names (EPERM; reserved).
     */
    static String pinName(String name) {
        return name.replace('.', '_');
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static int usage(PrintStream err, String problem) {
        err.println("bpf-globals load: " + problem + "; usage: bpf-globals load OBJ.o --pin DIR [--set SECTION.VAR=VALUE ...]"
                + " [--kernel-btf FILE]");
        return 2;
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.MapSpec;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.attach.CgroupHook;
import dev.bpfglobals.runtime.attach.Link;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code load OBJ.o --pin DIR [--set SECTION.VAR=VALUE ...] [--kernel-btf FILE]}: what {@code bpftool
 * prog loadall OBJ DIR pinmaps DIR/maps} does, for the objects bpftool's libbpf cannot load
 * ({@code .percpu}). The edits go into the initial images before load; {@code --kernel-btf} resolves
 * CO-RE relocations against that raw BTF file instead of the running kernel's, as libbpf's
 * {@code btf_custom_path} does. Every program is loaded and pinned at
 * {@code DIR/progs/NAME}, every map at {@code DIR/maps/NAME}. The pins keep the programs and maps
 * alive after this process exits; remove them with {@code rm -r DIR}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = {"bpf-globals load OBJ.o --pin DIR [--set SECTION.VAR=VALUE]...",
                "                        [--kernel-btf FILE] [--attach [--cgroup PATH]]"},
        description = {"Loads an object and pins its maps and programs under a directory.",
                "",
                "Every program is loaded and pinned at DIR/progs/NAME, every map at DIR/maps/NAME, as"
                + " bpftool prog loadall does, for the objects bpftool cannot load (.percpu). --set edits a"
                + " global's initial value first, checked against its C type. --kernel-btf resolves CO-RE"
                + " relocations against that raw BTF file instead of the running kernel's. --attach attaches every"
                + " program whose section names its target (tp/..., raw_tp/..., uprobe/..., fentry/...) and pins"
                + " its link at DIR/links/NAME, as bpftool prog loadall ... autoattach does; it registers each"
                + " struct_ops map, a .struct_ops.link one through a link pinned there too; with --cgroup, also every"
                + " cgroup program (cgroup_skb/ingress, cgroup/connect4, sockops, lsm_cgroup/...) to that cgroup v2"
                + " directory, at the hook its section names.",
                "The pins outlive the tool (rm -r DIR removes them, and detaches the links). Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals load ticks.bpf.o --pin /sys/fs/bpf/ticks --set .data.step=-5"})
final class LoadCommand extends CliCommand {

    @Parameters(paramLabel = "OBJ.o", description = "The BPF object file.")
    private Path object;

    @Option(names = "--pin", paramLabel = "DIR", description = "Where to pin, on a BPF file system.")
    private Path pin;

    @Option(names = "--set", paramLabel = "SECTION.VAR=VALUE", description = "Set a global before load; repeatable.")
    private List<String> sets = new ArrayList<>();

    @Option(names = "--kernel-btf", paramLabel = "FILE", description = "Resolve CO-RE against this raw BTF file.")
    private Path kernelBtf;

    @Option(names = "--attach", description = "Attach the programs whose section names their target; register struct_ops maps.")
    private boolean attach;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "With --attach: the cgroup v2 directory for cgroup programs.")
    private Path cgroup;

    @Override
    public Integer call() throws IOException {
        if (pin == null) {
            throw usage("no --pin DIR");
        }
        if (cgroup != null && !attach) {
            throw usage("--cgroup PATH attaches cgroup programs, so it needs --attach");
        }
        if (kernelBtf != null && !Files.isRegularFile(kernelBtf)) {
            throw new IllegalArgumentException("--kernel-btf " + kernelBtf + ": " + (Files.isDirectory(kernelBtf)
                    ? "a directory, not a file" : Files.exists(kernelBtf) ? "not a regular file (a FIFO, device or socket)"
                    : "no such file") + " (give a raw BTF file, as /sys/kernel/btf/vmlinux"
                    + " is, e.g. one from BTFHub or copied from the target kernel)");
        }
        PrintWriter out = out();
        ObjectSpec opened = ObjectSpec.open(InputFiles.requireFile(object));
        GlobalEdits edits = new GlobalEdits(opened);
        sets.forEach(edits::apply);
        Path dir = pin;
        Map<Path, String> maps = new LinkedHashMap<>();
        for (GlobalSection section : opened.globalSections()) {
            plan(maps, dir.resolve("maps"), section.name());
        }
        // A compat map (__percpu_compat, __percpu_compat_<name>) is its per-CPU section's map under
        // another name: pinned once, under the section's name.
        Set<String> compatMaps = new HashSet<>();
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
        Map<Path, String> links = new LinkedHashMap<>();
        for (ProgramSpec program : attach ? opened.programs() : List.<ProgramSpec>of()) {
            if (opened.autoload(program.name()) && (LinkPins.namesItsTarget(program.section())
                    || cgroup != null && CgroupHook.ofSection(program.section()).isPresent())) {
                plan(links, dir.resolve("links"), program.name());
            }
        }
        requireFreeOnBpffs(dir, maps.keySet(), programs.keySet());
        requireFreeOnBpffs(dir, links.keySet(), List.of());

        List<Path> made = new ArrayList<>();
        List<String> registered = new ArrayList<>();
        ObjectSpec edited = edits.result();
        try (LoadedObject loaded = kernelBtf == null ? LoadedObject.load(edited)
                : LoadedObject.load(edited, BpfFeatures.probe(), kernelBtf)) {
            for (Path directory : missingDirectories(dir)) {
                try {
                    made.add(PinDirectories.create(directory));
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
            if (!links.isEmpty() && !Files.exists(dir.resolve("links"))) {
                made.add(PinDirectories.create(dir.resolve("links")));
            }
            for (Map.Entry<Path, String> link : links.entrySet()) {
                LinkPins.pinAndRelease(attach(loaded, opened.program(link.getValue()).orElseThrow().section(), link.getValue()),
                        link.getKey());
                made.add(link.getKey());
            }
            if (attach) {
                registered.addAll(StructOpsPins.register(loaded, dir.resolve("links"), made));
            }
        } catch (RuntimeException | IOException e) {
            // All or nothing: a half-pinned object would outlive this process for no one's use. An
            // IOException too: the links directory may fail to be made after the maps are pinned.
            for (Path path : made.reversed()) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
        // Names, paths and edits come from the object and the command line: escaped, as in every message.
        out.println(Printable.message("loaded " + object + ": " + count(programs.size(), "program") + ", " + count(maps.size(), "map")));
        edits.described().stream().map(Printable::message).forEach(out::println);
        maps.forEach((path, name) -> out.println(Printable.message("pinned map " + name + " at " + path + reachedAs(opened, name))));
        programs.forEach((path, name) -> out.println(Printable.message("pinned program " + name + " at " + path)));
        links.forEach((path, name) -> out.println(Printable.message("attached program " + name + "; link pinned at " + path)));
        registered.stream().map(Printable::message).forEach(out::println);
        return 0;
    }

    /** Attaches program {@code name} of section {@code section}: to {@link #cgroup} at its section's hook, else where its section says. */
    private Link attach(LoadedObject loaded, String section, String name) {
        Optional<CgroupHook> hook = cgroup == null ? Optional.empty() : CgroupHook.ofSection(section);
        if (hook.isEmpty()) {
            return loaded.attach(name);
        }
        try (BpfProgram program = loaded.program(name)) {
            return program.attachCgroup(cgroup, hook.get());
        }
    }

    /** For a per-CPU section whose programs reach it through a compat map, which one. */
    private static String reachedAs(ObjectSpec opened, String section) {
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
        PinDirectories.requireSafe(dir);
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
}

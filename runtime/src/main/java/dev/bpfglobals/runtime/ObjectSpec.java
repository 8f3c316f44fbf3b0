package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.ContractReport;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.btf.BtfValueTypes;
import dev.bpfglobals.runtime.internal.loader.ObjectFormatException;
import dev.bpfglobals.runtime.internal.loader.ObjectImage;
import dev.bpfglobals.runtime.internal.loader.ObjectReader;
import dev.bpfglobals.runtime.kernel.BoundedFiles;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A BPF object file (clang's {@code -target bpf -c} output) opened without the kernel: its programs
 * with their instructions and relocations, the maps its {@code .maps} section declares, its global
 * sections with their variables and initial images, its license and BTF. Immutable; check it
 * against a record's contract with {@link #checkAgainst} before anything reaches the kernel.
 *
 * <p>The spec of an object, as {@link MapSpec} and {@link ProgramSpec} are of its maps and
 * programs: {@link LoadedObject#load(ObjectSpec)} makes the live counterparts, {@code LoadedObject},
 * {@code BpfMap} and {@code BpfProgram}, which own kernel descriptors.
 */
public final class ObjectSpec {

    /** Larger files are refused before they are read: no BPF object comes near it. */
    public static final long MAX_FILE_SIZE = 256L * 1024 * 1024;

    /** The loader's data: this class is its public face, with the public views of its parts. */
    private final ObjectImage image;
    private final List<GlobalSection> globals;
    private final List<ProgramSpec> programs;
    private final List<ProgramSpec> subprograms;
    private final List<MapSpec> maps;
    private final List<ExternSymbol> externs;

    ObjectSpec(ObjectImage image) {
        this.image = image;
        this.globals = image.globals().stream().map(GlobalSection::of).toList();
        this.programs = image.programs().stream().map(ProgramSpec::new).toList();
        this.subprograms = image.subprograms().stream().map(ProgramSpec::new).toList();
        this.maps = image.maps().stream().map(MapSpec::of).toList();
        this.externs = image.externs().stream().map(ExternSymbol::of).toList();
    }

    /** {@return the loader's data behind this spec} */
    ObjectImage image() {
        return image;
    }

    /**
     * Reads and parses the object at {@code path}.
     *
     * @param path the object file, e.g. {@code target/classes/bpf/xdp_stats.bpf.o}
     * @return the parsed object
     * @throws IOException         if the file cannot be read; {@link BoundedFiles.RefusedFileException} for a
     *                             directory, a FIFO or device, or a file over {@link #MAX_FILE_SIZE} bytes
     * @throws BpfFormatException  naming what is wrong, for a file that is not a well-formed BPF object
     */
    public static ObjectSpec open(Path path) throws IOException {
        byte[] bytes = BoundedFiles.read(path, "a BPF object", MAX_FILE_SIZE);
        try {
            return open(bytes);
        } catch (BpfFormatException e) {
            throw new BpfFormatException(path + ": " + e.detail(), e);
        }
    }

    /**
     * Reads and parses the object that the class path holds as resource {@code name} (e.g.
     * {@code "bpf/xdp_stats.bpf.o"}, where {@code bpf-globals-maven-plugin} puts it), looked up
     * through the class loader of the class that calls this method, so an application finds the
     * objects packaged with it.
     *
     * @param name the resource's path on the class path (a leading {@code /} is ignored)
     * @return the parsed object
     * @throws NoSuchFileException naming the resource when the class path does not hold it
     * @throws IOException         if the resource cannot be read
     * @throws BpfFormatException  naming the resource and what is wrong, for a malformed object
     */
    public static ObjectSpec openResource(String name) throws IOException {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        ClassLoader loader = caller.getClassLoader();
        return openResource(loader != null ? loader : ClassLoader.getSystemClassLoader(), name);
    }

    /**
     * Reads and parses resource {@code name} of {@code loader}: {@link #openResource(String)} for
     * objects another class loader holds (a plugin's, a container's).
     *
     * @param loader the class loader that holds the resource
     * @param name the resource's path within {@code loader} (a leading {@code /} is ignored)
     * @return the parsed object
     * @throws NoSuchFileException naming the resource when {@code loader} does not find it
     * @throws IOException         if the resource cannot be read
     * @throws BpfFormatException  naming the resource and what is wrong, for a malformed object
     */
    public static ObjectSpec openResource(ClassLoader loader, String name) throws IOException {
        String path = name.startsWith("/") ? name.substring(1) : name;
        try {
            return open(ObjectResources.read(loader, path, MAX_FILE_SIZE));
        } catch (BpfFormatException e) {
            throw new BpfFormatException("resource " + path + ": " + e.detail(), e);
        }
    }

    /**
     * Parses an object from its bytes (which are copied where kept).
     *
     * @param bytes the object file's contents
     * @return the parsed object
     * @throws BpfFormatException naming what is wrong and where, for any malformed input
     */
    public static ObjectSpec open(byte[] bytes) {
        try {
            return new ObjectSpec(ObjectReader.read(bytes));
        } catch (ObjectFormatException e) {
            throw new BpfFormatException(e.detail(), e);
        }
    }

    /** {@return the byte order of the object ({@code -target bpf} is the host's, {@code bpfeb} big-endian)} */
    public ByteOrder byteOrder() {
        return image.byteOrder();
    }

    /** {@return the programs: the functions of every executable section but {@code .text}, in file order} */
    public List<ProgramSpec> programs() {
        return programs;
    }

    /**
     * The program with this function name.
     *
     * @param name the program's C function name
     * @return the program, or empty if the object has none of that name
     */
    public Optional<ProgramSpec> program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** {@return the subprograms programs may call: the functions in {@code .text}, in address order} */
    public List<ProgramSpec> subprograms() {
        return subprograms;
    }

    /**
     * The program or subprogram with this name: what a call instruction names.
     *
     * @param name the function's C name
     * @return the function, or empty if the object has none of that name
     */
    public Optional<ProgramSpec> function(String name) {
        return Stream.concat(programs.stream(), subprograms.stream()).filter(p -> p.name().equals(name)).findFirst();
    }

    /** {@return the maps declared in {@code .maps}, in section order} */
    public List<MapSpec> maps() {
        return maps;
    }

    /**
     * The map declared under this name.
     *
     * @param name the map's C variable name in {@code .maps}
     * @return the map's declaration, or empty if the object declares none of that name
     */
    public Optional<MapSpec> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** {@return every global-data section of the object, in file order} */
    public List<GlobalSection> globalSections() {
        return globals;
    }

    /**
     * The global section with this name, if the object has it.
     *
     * @param name the section's ELF name, e.g. {@code .data}
     * @return the section, or empty if the object has none of that name
     */
    public Optional<GlobalSection> globalSection(String name) {
        return globals.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /**
     * The symbols the object declares but does not define, in symbol-table order: kernel symbols
     * ({@code __ksym}, typeless or typed, and kfuncs), kconfig values ({@code __kconfig}) and other
     * externs. Listing them needs no kernel; {@link LoadedObject#load} resolves those it can.
     *
     * @return the undefined symbols, which the loader must resolve
     */
    public List<ExternSymbol> externs() {
        return externs;
    }

    /**
     * The extern with this name.
     *
     * @param name the extern's C name
     * @return the extern, or empty if the object declares none of that name
     */
    public Optional<ExternSymbol> extern(String name) {
        return externs.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * The license string (the kernel lets only GPL-compatible programs call GPL helpers); empty without a {@code license} section.
     *
     * @return the license, e.g. {@code "GPL"}
     */
    public String license() {
        return image.license();
    }

    /**
     * The object's BTF with every DATASEC fixed up from the ELF symbols and section sizes, as
     * libbpf does before loading it; empty for an object compiled without {@code -g}. For the
     * loader: users read it as {@link #sectionType}.
     */
    Optional<Btf> btf() {
        return image.btf();
    }

    /**
     * The C types of global section {@code section}'s variables, as the object's BTF gives them;
     * empty when the object has no BTF or no DATASEC for the section.
     *
     * @param section the section's ELF name, e.g. {@code .data}
     * @return the section's C type, or empty without BTF for it
     */
    public Optional<ValueType.Section> sectionType(String section) {
        return globalSection(section).filter(s -> s.btfDatasecId() != 0 && image.fixedBtf() != null)
                .map(s -> (ValueType.Section) BtfValueTypes.of(image.fixedBtf(), s.btfDatasecId()));
    }

    /**
     * The C type with id {@code typeId} in the object's BTF (typedefs and qualifiers resolved), e.g.
     * a {@link MapSpec#keyTypeId()}: what skeleton generators name and lay out Java types from.
     *
     * @param typeId a BTF type id of this object, 0 for none
     * @return the type, or empty for id 0, an object without BTF or an id past its last type
     */
    public Optional<ValueType> btfType(int typeId) {
        Btf btf = image.fixedBtf();
        return btf == null || typeId <= 0 || typeId >= btf.types().size() ? Optional.empty()
                : Optional.of(BtfValueTypes.of(btf, typeId));
    }

    /**
     * A copy of the {@code .BTF} section exactly as the file holds it (DATASEC sizes and offsets still 0).
     *
     * @return the raw BTF bytes, a copy; empty for an object compiled without {@code -g}
     */
    public Optional<byte[]> rawBtf() {
        return Optional.ofNullable(image.rawBtf()).map(byte[]::clone);
    }

    /** The whole {@code .BTF.ext} section; each {@link ProgramSpec#btfExt()} holds its own part. */
    BtfExt btfExt() {
        return image.btfExt();
    }

    /**
     * The same object with only {@code kept} as its programs, e.g. to load a subset.
     *
     * @param kept the programs to keep, from {@link #programs()}
     * @return the new object; this one does not change
     */
    public ObjectSpec withPrograms(List<ProgramSpec> kept) {
        return new ObjectSpec(image.withPrograms(kept.stream().map(ProgramSpec::image).toList()));
    }

    /**
     * Whether {@link LoadedObject#load} loads program {@code name}: as {@link #withAutoload} set it,
     * else as its section says ({@link ProgramSpec#autoload()}: every program but those in a
     * {@code SEC("?...")}).
     *
     * @param name the program's C function name
     * @return whether loading the object loads the program
     * @throws IllegalArgumentException if the object has no such program, naming those it has
     */
    public boolean autoload(String name) {
        return image.autoload(requireProgram(name).image());
    }

    /**
     * The same object with program {@code name} loaded by {@link LoadedObject#load} or not, whatever
     * its section says: how to load a {@code SEC("?xdp")} program (libbpf's
     * {@code bpf_program__set_autoload}), or to leave one out. Maps are made either way.
     *
     * @param name the program's C function name
     * @param load whether to load it
     * @return the new object; this one does not change
     * @throws IllegalArgumentException if the object has no such program, naming those it has
     */
    public ObjectSpec withAutoload(String name, boolean load) {
        requireProgram(name);
        return new ObjectSpec(image.withAutoload(name, load));
    }

    private ProgramSpec requireProgram(String name) {
        return program(name).orElseThrow(() -> new IllegalArgumentException("no program named '" + name
                + "'; the object's programs: " + programs.stream().map(ProgramSpec::name).toList()));
    }

    /**
     * The same object with {@code image} as the initial bytes of global section {@code section}: how
     * Java sets globals before load (a limit in {@code .data}, a constant in {@code .rodata}, the
     * initial per-CPU values of {@code .percpu} or a custom {@code .percpu.<name>}, which every
     * possible CPU then starts from). Encode the image with the generated codec. This object does
     * not change, and a loaded object keeps the image it was loaded from: after load, values change
     * through the map, never through an image.
     *
     * @param section the section's ELF name, e.g. {@code .data}
     * @param image the section's new initial bytes, exactly the section's size
     * @return the new object; this one does not change
     * @throws IllegalArgumentException if the object has no such section, or the image's size is not
     *                                  the section's, naming the section and both sizes
     */
    public ObjectSpec withGlobalImage(String section, byte[] image) {
        GlobalSection old = globalSection(section).orElseThrow(() -> new IllegalArgumentException(
                "no global section " + section + "; the object has " + globals.stream().map(GlobalSection::name).toList()));
        if (image.length != old.size()) {
            throw new IllegalArgumentException("initial image for section " + section + " is " + image.length
                    + " bytes, but the section is " + old.size() + " bytes");
        }
        return new ObjectSpec(this.image.withGlobals(this.image.globals().stream()
                .map(g -> g.name().equals(section) ? g.withImage(image) : g).toList()));
    }

    /**
     * How the object's global sections compare with {@code contract}, section by section: names,
     * offsets, sizes and C types of variables, and section sizes. A section the contract declares and
     * the object lacks is a difference too. When the report does not {@link ContractReport#matches()},
     * the Java record and the C program drifted apart.
     *
     * @param contract the contract of the record that mirrors the C globals (the generated one)
     * @return the comparison, with every difference found
     */
    public ContractReport checkAgainst(GlobalsContract contract) {
        List<ContractReport.SectionReport> sections = new ArrayList<>();
        for (SectionContract expected : contract.sections()) {
            sections.add(globalSection(expected.name())
                    .map(actual -> ContractReport.SectionReport.compare(expected, actual.layout()))
                    .orElseGet(() -> ContractReport.SectionReport.missing(expected.name())));
        }
        return new ContractReport(contract.record(), sections);
    }

    @Override
    public String toString() {
        return "ObjectSpec[" + programs.size() + " programs, " + subprograms.size() + " subprograms, " + maps.size()
                + " maps, global sections " + globals.stream().map(GlobalSection::name).toList()
                + (externs.isEmpty() ? "" : ", externs " + externs.stream().map(ExternSymbol::name).toList()) + "]";
    }

    /**
     * Loads this object through a light skeleton's loader: one {@code BPF_PROG_TYPE_SYSCALL} program, built here for
     * this kernel (its CPU count; {@code BPF_F_ALL_CPUS} where there), makes and fills the maps and loads the programs.
     *
     * @param options how to load it (maps pinned by name, and a kernel BTF file with CO-RE, are refused here)
     * @return the loaded object, as {@link LoadedObject#load(ObjectSpec, LoadOptions)}'s, owning what the loader made
     * @throws UnsupportedOperationException naming what the light loader does not support yet
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming the loader's step and errno when the kernel refuses one
     */
    public LoadedObject loadLight(LoadOptions options) {
        return LightLoads.load(this, options);
    }

    /**
     * Loads this object through a signed light loader, built for {@link LoaderSignature#TARGET} as at signing, its
     * data in a frozen ARRAY map exclusive to it; needs signed BPF programs (6.18+) and {@code BPF_F_ALL_CPUS}.
     *
     * @param options   how to load it (features, pin root)
     * @param signature the PKCS#7 signature of {@link LoaderSignature#signedContent(ObjectSpec)}, and the keyring
     * @return the loaded object, owning every map and program the loader made
     * @throws UnsupportedOperationException naming what the light loader does not support, or a missing {@code BPF_F_ALL_CPUS}
     * @throws dev.bpfglobals.runtime.kernel.BpfException naming a kernel without signed programs, a signature that did
     *                                                    not verify against the keyring, or the loader's step
     */
    public LoadedObject loadLight(LoadOptions options, LoaderSignature signature) {
        return SignedLightLoads.load(this, options, java.util.Objects.requireNonNull(signature, "signature"));
    }
}

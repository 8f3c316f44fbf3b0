package dev.bpfglobals.contract;

/**
 * The names of maps the contract fixes: those of the maps made for global-data sections, and that
 * of the map a program built in compat mode reaches {@code .percpu} through.
 *
 * <p>The kernel names of the maps made for global-data sections, as libbpf's {@code internal_map_name}
 * gives them to a map whose name needs no object prefix: the section name cut to the kernel's 15
 * characters, with every character the kernel refuses in a map name replaced by {@code _}.
 *
 * <p>libbpf leaves the object's name off for every section whose name has a second dot
 * ({@code .percpu.counters}, {@code .data.limits}) and, by the {@code .percpu} contract, for
 * {@code .percpu} itself. (For {@code .data}, {@code .bss} and {@code .rodata} libbpf prefixes the
 * object's name; the runtime's loader opens objects from bytes, has no object name, and keeps the section
 * name there too.) The full section name stays in the map's BTF DATASEC, so tools can still show it.
 */
public final class MapNames {

    /** BPF_OBJ_NAME_LEN is 16 bytes with the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    /**
     * The map the generated header declares for compat mode, which the loader binds to the
     * {@code .percpu} map itself ({@code __percpu_compat_<name>} stands for {@code .percpu.<name>}).
     * One constant, since the processor writes it into headers and the loader looks for it in objects.
     */
    public static final String PERCPU_COMPAT = "__percpu_compat";

    private MapNames() {
    }

    /**
     * The name under which the kernel (and {@code bpftool map show}) lists the map made for a
     * global-data section, so a loaded object's maps can be found by section.
     *
     * @param section the ELF section name, e.g. {@code .percpu.extra_counters}
     * @return the kernel map name, e.g. {@code .percpu.extra_c}
     */
    public static String ofSection(String section) {
        String cut = section.length() > MAX_LENGTH ? section.substring(0, MAX_LENGTH) : section;
        StringBuilder out = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            // The kernel's bpf_obj_name_cpy takes ASCII letters, digits, '_' and '.' only.
            boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.');
            out.append(allowed ? c : '_');
        }
        return out.toString();
    }

    /**
     * The name of the compat map that stands for per-CPU section {@code section}:
     * {@code __percpu_compat} for {@code .percpu}, {@code __percpu_compat_<name>} for
     * {@code .percpu.<name>}, with every character of {@code <name>} that a C identifier cannot hold
     * replaced by {@code _} ({@code .percpu.rx-queue} gives {@code __percpu_compat_rx_queue}).
     *
     * @param section a per-CPU section's ELF name
     * @return the compat map's name, as a C declaration in {@code .maps} would spell it
     * @throws IllegalArgumentException if {@code section} is not a per-CPU section name
     */
    public static String percpuCompatOf(String section) {
        String percpu = SectionContract.PERCPU;
        if (section.equals(percpu)) {
            return PERCPU_COMPAT;
        }
        if (!section.startsWith(percpu + ".")) {
            throw new IllegalArgumentException("'" + section + "' is not a per-CPU section (.percpu or .percpu.<name>)");
        }
        StringBuilder name = new StringBuilder(PERCPU_COMPAT).append('_');
        for (char c : section.substring(percpu.length() + 1).toCharArray()) {
            name.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        return name.toString();
    }
}

package dev.bpfglobals.processor.model;

import dev.bpfglobals.processor.layout.CType;
import java.util.Locale;
import java.util.Set;

/**
 * C naming: keywords to reject, the snake case used for generated tags, and every file-scope name
 * the generated header makes up. Everything the header names carries the record's C prefix
 * ({@code xdp_stats_...}, {@code XDP_STATS_...}), because the program that includes it also
 * includes vmlinux.h or declares types of its own, and C has one tag namespace and one namespace
 * for ordinary identifiers per translation unit.
 */
public final class CNames {

    /** C11 keywords plus the GNU spellings clang accepts; none may name a global or member. */
    public static final Set<String> KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
            "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
            "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
            "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "asm", "typeof", "__attribute__");

    /** Identifiers from the headers the generated header includes that a global must not shadow. */
    public static final Set<String> HEADER_NAMES = Set.of(
            "SEC", "BPF_PERCPU", "__u8", "__s8", "__u16", "__s16", "__u32", "__s32", "__u64", "__s64",
            "bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_map_delete_elem", "license", "NULL");

    /**
     * Lower-case typedefs every vmlinux.h has (checked against the BTF of kernels 6.1 to 7.3): a
     * program built on vmlinux.h cannot also define a global of one of these names, since C gives
     * typedefs and variables one namespace ("redefinition of 'u32' as different kind of symbol").
     */
    public static final Set<String> VMLINUX_TYPEDEFS = Set.of(
            "u8", "u16", "u32", "u64", "u128", "s8", "s16", "s32", "s64", "bool", "uint", "ulong", "ushort",
            "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
            "size_t", "ssize_t", "uintptr_t", "ptrdiff_t", "pid_t", "uid_t", "gid_t", "off_t", "loff_t", "dev_t",
            "mode_t", "umode_t", "time64_t", "ktime_t", "clockid_t", "atomic_t", "atomic64_t", "gfp_t", "sector_t",
            "phys_addr_t", "dma_addr_t", "fmode_t", "cpumask_t", "spinlock_t", "wait_queue_head_t");

    private CNames() {
    }

    /**
     * A Java name in C's lower snake case, the base of every tag and identifier the header makes up.
     *
     * @param javaName a Java identifier, e.g. {@code XdpStats} or {@code HTTPFlow}
     * @return e.g. {@code xdp_stats} or {@code http_flow}
     */
    public static String snakeCase(String javaName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c)
                    && (Character.isLowerCase(javaName.charAt(i - 1))
                        || (i + 1 < javaName.length() && Character.isLowerCase(javaName.charAt(i + 1))));
            if (boundary && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /**
     * The tag of a nested record's struct or an enum, prefixed so it cannot clash with vmlinux.h.
     *
     * @param prefix         the record's C prefix, e.g. {@code xdp_stats}
     * @param javaSimpleName the nested type's simple name, e.g. {@code Pair}
     * @return e.g. {@code xdp_stats_pair}
     */
    public static String typeTag(String prefix, String javaSimpleName) {
        return prefix + "_" + snakeCase(javaSimpleName);
    }

    /**
     * The tag of a {@code @BpfStruct} record's struct: the annotation's value, or the record's name
     * in snake case. The same wherever the record is used, which is what lets headers share it.
     *
     * @param annotationValue the {@code @BpfStruct} value, empty for the default
     * @param javaSimpleName  the record's simple name, e.g. {@code FlowKey}
     * @return e.g. {@code flow_key}
     */
    public static String structTag(String annotationValue, String javaSimpleName) {
        return annotationValue.isEmpty() ? snakeCase(javaSimpleName) : annotationValue;
    }

    /**
     * The C spelling of an enum constant: the (prefixed) enum tag in upper case, then the Java name,
     * since C enum constants share the namespace of every other identifier.
     *
     * @param type     the enum
     * @param constant the Java constant's name, e.g. {@code PASS}
     * @return e.g. {@code XDP_STATS_VERDICT_PASS}
     */
    public static String enumConstant(CType.Enum type, String constant) {
        return type.tag().toUpperCase(Locale.ROOT) + "_" + constant;
    }

    /**
     * The tag of the struct mirroring a whole section: {@code xdp_stats_percpu}, {@code xdp_stats_data}, ...
     * Validation reserves all of them for every record, so a nested record named {@code Percpu} cannot take them.
     *
     * @param prefix  the record's C prefix, e.g. {@code xdp_stats}
     * @param section the section mirrored
     * @return the struct tag
     */
    public static String mirrorTag(String prefix, Section section) {
        return prefix + "_" + section.cSuffix();
    }

    /**
     * The compat-mode function returning this CPU's copy of {@code .percpu}: {@code xdp_stats_this_cpu}.
     * Not {@code xdp_stats_percpu}, which is the struct it points to: one name, one meaning.
     *
     * @param prefix the record's C prefix, e.g. {@code xdp_stats}
     * @return the function's name
     */
    public static String thisCpuFunction(String prefix) {
        return prefix + "_this_cpu";
    }

    /**
     * {@code __u64 sizeBuckets[8] SEC(".percpu")}, {@code const volatile __u32 mtu SEC(".rodata")}:
     * how the header defines a global, and how javadoc quotes it.
     *
     * @param type    the global's C type
     * @param name    the global's C name
     * @param section the section it lives in, which gives the qualifiers and the {@code SEC}
     * @return the definition, without initialiser or semicolon
     */
    public static String definition(CType type, String name, Section section) {
        return section.cQualifiers() + type.declarator(name) + " SEC(\"" + section.elfName() + "\")";
    }

    /**
     * A Java name in upper snake case, for the generated Java constants.
     *
     * @param javaName a Java identifier, e.g. {@code sizeBuckets}
     * @return e.g. {@code SIZE_BUCKETS}
     */
    public static String constantCase(String javaName) {
        return snakeCase(javaName).toUpperCase(Locale.ROOT);
    }
}

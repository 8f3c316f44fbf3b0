package dev.bpfglobals.runtime.testing;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * What the kernel under test is stated to have, as CI states it for each leg of the kernel matrix
 * with {@code -Dbpfglobals.expectFeatures=btf,tcx,...} ({@code bin/kernel-expectations} holds the
 * table; {@code none} states an empty set). A test whose behaviour depends on the kernel takes its
 * branch from this statement, never from the library's own probes: with a broken probe or attach
 * the library would report "unsupported" and a test that trusted it would pass on the refusal. Here
 * the leg whose kernel has the feature must take the success path, and every other leg must see
 * the named refusal.
 *
 * <p>Where nothing is stated (a developer's kernel that the table does not know) a test that needs
 * the statement is skipped with the reason, or fails under {@code -Dbpfglobals.kernelTests=require}.
 */
public final class KernelExpectations {

    /** The property CI sets per leg. */
    public static final String PROPERTY = "bpfglobals.expectFeatures";

    /** A kernel capability a leg states it has or lacks; each name is its word in the property. */
    public enum Feature {
        /** {@code BPF_F_ALL_CPUS} per-CPU updates. */
        ALL_CPUS,
        /** {@code BPF_F_CPU} one-CPU lookups and updates. */
        CPU_FLAG,
        /** Programs reach {@code .percpu} globals directly (global per-CPU data). */
        NATIVE,
        /** {@code BPF_BTF_LOAD} accepts the object's BTF. */
        BTF,
        /** The kprobe PMU: kprobes and kretprobes attach (CONFIG_KPROBES). */
        KPROBE,
        /** {@code BPF_TRACE_KPROBE_MULTI} links (CONFIG_FPROBE). */
        KPROBE_MULTI,
        /** TCX links on network interfaces (6.6+). */
        TCX,
        /** fentry, fexit and fmod_ret load and attach through BPF trampolines. */
        FENTRY,
        /** Loaded modules expose their BTF in /sys/kernel/btf (9p's, in the VMs). */
        MODULE_BTF,
        /** /proc/kallsyms lists kernel variables (CONFIG_KALLSYMS_ALL), so typed __ksym variables resolve. */
        KSYM,
        /** The task kfuncs {@code bpf_task_acquire} and {@code bpf_task_release} (6.2+). */
        KFUNC,
        /** BPF LSM programs load (the kernel booted with bpf among its LSMs, trampolines allowed). */
        LSM,
        /** {@code BPF_TRACE_UPROBE_MULTI} links (6.6+ with CONFIG_UPROBES). */
        UPROBE_MULTI,
        /** Iterators over one map's elements ({@code iter/bpf_map_elem}) load; this project's host refuses them with EPERM. */
        MAP_ITER,
        /** NETFILTER programs and their links ({@code BPF_NETFILTER}, 6.4+ with CONFIG_NETFILTER_BPF_LINK). */
        NETFILTER,
        /** {@code BPF_MAP_TYPE_ARENA} maps, mmapped, whose pages programs allocate with {@code bpf_arena_alloc_pages} without sleeping. */
        ARENA,
        /** struct_ops maps register (a TCP congestion-control algorithm as {@code BPF_MAP_TYPE_STRUCT_OPS}, 5.6+). */
        STRUCT_OPS,
        /** struct_ops maps register through BPF links ({@code .struct_ops.link}, {@code BPF_F_LINK}, 6.4+). */
        STRUCT_OPS_LINK,
        /** SK_MSG and SK_SKB programs attach to a SOCKMAP with a BPF link (6.10+). */
        SOCKMAP_LINK,
        /** Cgroup socket address hooks of unix sockets ({@code cgroup/connect_unix} and the rest, 6.7+). */
        CGROUP_UNIX,
        /** Signed BPF programs: BPF_PROG_LOAD's signature and keyring_id, verified against a user keyring (6.18+, CONFIG_SYSTEM_DATA_VERIFICATION). */
        SIGNED_PROG,
        /** A PMU drives the generic hardware perf counters (cycles, instructions); no leg's VM or Firecracker host has one. */
        PMU;

        /** The feature's word in the property, e.g. {@code kprobe-multi}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Feature ofWord(String word) {
            for (Feature feature : values()) {
                if (feature.word().equals(word)) {
                    return feature;
                }
            }
            throw new IllegalArgumentException("-D" + PROPERTY + " names '" + word + "', which is no feature; known: "
                    + Arrays.stream(values()).map(Feature::word).collect(Collectors.joining(", ")));
        }
    }

    private KernelExpectations() {
    }

    /** Whether this leg's kernel is stated to have {@code feature}. */
    public static boolean has(Feature feature) {
        return stated().contains(feature);
    }

    /** Every feature this leg's kernel is stated to have. */
    public static Set<Feature> stated() {
        String statement = System.getProperty(PROPERTY, "").strip();
        if (statement.isEmpty()) {
            String why = "no -D" + PROPERTY + " states what kernel " + System.getProperty("os.version")
                    + " has (bin/test takes it from bin/kernel-expectations for the kernels it knows; CI states it per leg)";
            if ("require".equals(System.getProperty("bpfglobals.kernelTests"))) {
                throw new IllegalStateException("kernel tests are required (-Dbpfglobals.kernelTests=require) but " + why);
            }
            Assumptions.abort(why);
        }
        return parse(statement);
    }

    /** The features a statement names: comma-separated words, or {@code none}. */
    public static Set<Feature> parse(String statement) {
        Set<Feature> features = EnumSet.noneOf(Feature.class);
        if (statement.strip().equals("none")) {
            return features;
        }
        for (String word : statement.split(",")) {
            features.add(Feature.ofWord(word.strip()));
        }
        return features;
    }
}

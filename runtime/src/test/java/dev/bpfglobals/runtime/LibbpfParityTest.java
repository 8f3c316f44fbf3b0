package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The corpus of this module's own BPF programs ({@code src/test/bpf}, each written to exercise a
 * loader feature) loaded twice, by the system's libbpf ({@code src/test/c/libbpf_reference.c}) and by this loader,
 * on the kernel under test: every object libbpf loads, this loader loads too, and the kernel then
 * holds the same programs and maps ({@link KernelSideView} says which facts are compared). Objects with {@code .percpu} sections are left out: the
 * libbpf here predates them, so it is no reference for them.
 */
@RequiresBpf
class LibbpfParityTest {

    /**
     * The objects the system's libbpf (1.1) refuses on every kernel of the matrix, as measured on each
     * leg: sections it predates ({@code .percpu} without {@code -g}, {@code tcx/}, {@code uprobe.multi}, {@code netfilter}), programs written
     * to be refused (the verifier's or the loader's refusals under test), objects built without BTF
     * whose maps, callbacks or externs need it, and ksym and kfunc declarations its 1.1 resolves
     * otherwise than later releases; a struct_ops map whose struct carries a {@code ___flavour} suffix,
     * which 1.1 looks up in the kernel as spelled (later releases strip it, as this loader does). A change here changes the number compared, which
     * docs/guarantees.md states.
     */
    private static final Set<String> LIBBPF_REFUSES = Set.of(
            "all_maps.bpf-nodebug", "callback.bpf-nodebug", "calls.bpf", "calls.bpf-nodebug",
            "compat_counter.bpf-nodebug", "compat_custom_mismatch.bpf-nodebug", "compat_mismatch.bpf-nodebug",
            "compat_without_section.bpf-nodebug", "core.bpf", "core.bpf-nodebug", "data_verdict.bpf-nodebug",
            "direct_percpu.bpf", "direct_percpu.bpf-nodebug", "global_percpu_data.bpf", "global_percpu_data.bpf-nodebug",
            "hash_writes.bpf-nodebug", "kconfig.bpf-nodebug", "kfuncs.bpf", "ksyms.bpf", "ksyms.bpf-nodebug",
            "map_in_map.bpf-nodebug", "net.bpf", "net.bpf-nodebug", "netfilter.bpf", "percpu_const.bpf-nodebug", "percpu_initial.bpf-nodebug",
            "perf_buffer.bpf-nodebug", "perf_events.bpf-nodebug", "pinned_reader.bpf-nodebug",
            "pinned_writer.bpf-nodebug", "prog_array.bpf-nodebug", "refused.bpf", "refused.bpf-nodebug", "ringbuf.bpf-nodebug",
            "rodata_write.bpf", "rodata_write.bpf-nodebug", "sk_lookup.bpf-nodebug", "struct_ops_bad.bpf", "struct_ops_bad.bpf-nodebug", "typed_ksyms.bpf", "uprobe_multi.bpf", "uprobe_multi.bpf-nodebug",
            "usdt.bpf-nodebug", "user_ringbuf.bpf-nodebug", "user_ringbuf_blocking.bpf-nodebug",
            // Sections newer than libbpf 1.1: cgroup/connect_unix and the other _unix hooks; uprobe.multi.
            "cgroup_hooks.bpf", "cgroup_hooks.bpf-nodebug", "cookies.bpf", "cookies.bpf-nodebug", "sockmap.bpf-nodebug");

    /** Objects with {@code .percpu} sections that libbpf 1.1 opens but is no reference for. */
    private static final Set<String> PERCPU = Set.of("compat_counter.bpf", "compat_custom_mismatch.bpf",
            "compat_mismatch.bpf", "compat_without_section.bpf", "globals.bpf", "globals.bpf-nodebug", "percpu_const.bpf",
            "percpu_initial.bpf");

    /** The objects with LSM programs: libbpf loads them where the kernel runs BPF LSM, and refuses them elsewhere. */
    private static final Set<String> LSM_OBJECTS = Set.of("data_verdict.bpf", "lsm.bpf", "lsm_cgroup.bpf");

    /** The objects with fentry programs that load by default: libbpf loads them where BPF trampolines work, and refuses them elsewhere. */
    private static final Set<String> FENTRY_OBJECTS = Set.of("cookie_fentry.bpf", "cookie_fentry.bpf-nodebug");

    @Test
    void everyObjectLibbpfLoadsLoadsHereIntoTheSameProgramsAndMaps() throws Exception {
        List<String> differences = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        Set<String> refusedByLibbpf = new TreeSet<>();
        Set<String> percpu = new TreeSet<>();
        List<Path> objects = objects();
        for (Path object : objects) {
            String name = object.getFileName().toString().replace(".o", "");
            KernelSideView.LibbpfOutcome libbpf = KernelSideView.loadWithLibbpf(object, name);
            if (!libbpf.loaded()) {
                refusedByLibbpf.add(name);
                continue;
            }
            ObjectSpec opened;
            try {
                opened = ObjectSpec.open(object);
            } catch (RuntimeException e) {
                compared.add(name);
                differences.add(name + ": libbpf opens it, this loader refused it: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            if (opened.globalSections().stream().anyMatch(GlobalSection::isPerCpu)) {
                percpu.add(name);
                continue;
            }
            compared.add(name);
            KernelSideView ours;
            try {
                ours = KernelSideView.loadHere(opened);
            } catch (RuntimeException e) {
                differences.add(name + ": libbpf loads it, this loader refused it: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            differences.addAll(ours.differencesFrom(name, "libbpf", libbpf.view()));
        }

        boolean lsm = KernelExpectations.has(Feature.LSM);
        Set<String> expectedRefusals = new TreeSet<>(LIBBPF_REFUSES);
        if (!lsm) {
            expectedRefusals.addAll(LSM_OBJECTS);
        }
        if (!KernelExpectations.has(Feature.FENTRY)) {
            expectedRefusals.addAll(FENTRY_OBJECTS);
        }
        assertThat(refusedByLibbpf).as("objects libbpf refuses on this leg").isEqualTo(expectedRefusals);
        assertThat(percpu).as("objects with .percpu sections").isEqualTo(PERCPU);
        System.out.println("LibbpfParityTest: " + compared.size() + " objects compared, " + refusedByLibbpf.size() + " refused by libbpf, "
                + percpu.size() + " with .percpu, of " + objects.size());
        assertThat(compared).as("objects both loaders were held to (docs/guarantees.md gives the count of each leg)")
                .hasSize(objects.size() - expectedRefusals.size() - PERCPU.size());
        assertThat(differences).as("objects libbpf loads otherwise than this loader, of " + compared).isEmpty();
    }

    /** Every source built as its tests build it, and again without {@code -g}: an object without BTF is loaded otherwise. */
    private static List<Path> objects() throws IOException, InterruptedException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("src/test/bpf"))) {
            sources = files.filter(p -> p.getFileName().toString().endsWith(".bpf.c")).sorted().toList();
        }
        List<Path> objects = new ArrayList<>();
        for (Path source : sources) {
            String name = source.getFileName().toString().replace(".bpf.c", "");
            String text = Files.readString(source);
            if (text.contains("\"vmlinux.h\"")) {
                objects.add(BpfObjects.compileWithVmlinux(name));
            } else {
                objects.add(BpfObjects.compile(name));
                // CO-RE builtins need BTF: clang refuses them without -g.
                if (!text.contains("bpf_core_") && !text.contains("BPF_CORE_READ")) {
                    objects.add(BpfObjects.compileWithoutDebugInfo(name));
                }
            }
        }
        return objects;
    }
}

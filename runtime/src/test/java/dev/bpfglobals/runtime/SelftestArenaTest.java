package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mainline's arena selftests ({@code arena_*.c}, {@code verifier_arena*.c}, ...), which clang 14 cannot
 * compile and {@code bin/selftest-objects} builds with clang-19 into {@code DIR/clang-19}. The reference
 * loader of {@link SelftestParityTest}, bookworm's libbpf 1.1, predates arenas, so there is no libbpf view
 * to compare with; instead each program is held to what the selftest itself declares, as mainline's
 * {@code test_loader.c} runs it: every program this loader's types cover and the selftest expects to
 * load ({@code __success} or untagged) loads alone, and one tagged {@code __retval(N)} returns N from
 * {@code BPF_PROG_TEST_RUN} on 64 zero bytes. Where the leg has no arenas, every object still opens.
 * Objects that call the kfuncs of the selftests' own module, {@code bpf_testmod}, which no leg loads, are
 * counted and left out.
 */
@RequiresBpf
class SelftestArenaTest {

    private static final String FAILURE = "test_expect_failure";
    private static final String RETVAL = "test_retval=";
    /** bpf_misc.h's tags: {@code comment:NAME}, and in 7.3 {@code comment:COUNTER:NAME} (one counter per object). */
    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("comment:(?:\\d+:)?(.*)");

    @Test
    void everyArenaSelftestOpensAndEachProgramItExpectsToLoadLoadsAndReturnsItsDeclaredValue() throws Exception {
        Path directory = Path.of(System.getProperty("bpfglobals.selftestObjects", "")).resolve("clang-19");
        assertThat(directory).as("bin/selftest-objects builds the arena selftests with clang-19 (apt-get install clang-19)")
                .isDirectory();
        List<Path> objects;
        try (Stream<Path> files = Files.list(directory)) {
            objects = files.filter(p -> p.toString().endsWith(".bpf.o")).sorted().toList();
        }
        assertThat(objects).as("arena selftests in " + directory).isNotEmpty();
        boolean arenas = KernelExpectations.has(Feature.ARENA);
        Map<String, String> failures = new TreeMap<>();
        List<String> loaded = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        List<String> needTestmod = new ArrayList<>();
        for (Path object : objects) {
            String name = object.getFileName().toString().replace(".bpf.o", "");
            ObjectSpec spec = ObjectSpec.open(object);
            if (!arenas) {
                continue;
            }
            // The selftests' own kernel module (bpf_testmod) defines these kfuncs; no leg's VM loads it, and libbpf
            // would refuse these objects as well, so they are out of scope here as in SelftestParityTest.
            java.util.Optional<String> testmod = spec.externs().stream().map(ExternSymbol::name)
                    .filter(n -> n.startsWith("bpf_kfunc_") || n.startsWith("bpf_testmod_")).findFirst();
            if (testmod.isPresent()) {
                needTestmod.add(name + " (" + testmod.get() + ")");
                continue;
            }
            for (ProgramSpec program : spec.programs()) {
                Tags tags = Tags.of(spec, program.name());
                if (!program.autoload() || tags.failure || !LoadedObject.SUPPORTED.contains(program.type())) {
                    continue;
                }
                String label = name + "/" + program.name();
                ObjectSpec alone = spec;
                for (ProgramSpec other : spec.programs()) {
                    alone = alone.withAutoload(other.name(), other.name().equals(program.name()));
                }
                try (LoadedObject load = LoadedObject.load(alone)) {
                    loaded.add(label);
                    if (tags.retval != null && program.type() == dev.bpfglobals.runtime.attach.ProgramType.SOCKET_FILTER) {
                        try (BpfProgram running = load.program(program.name())) {
                            int returned = running.testRun(new byte[64], 1, 0).returnValue();
                            ran.add(label);
                            if (returned != tags.retval) {
                                failures.put(label, "returned " + returned + ", the selftest declares " + tags.retval);
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    failures.put(label, e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        System.out.printf("arena selftests: %d objects opened; %d need bpf_testmod's kfuncs %s; %d programs loaded, %d run: %s%n",
                objects.size(), needTestmod.size(), needTestmod, loaded.size(), ran.size(), ran);
        assertThat(failures).as("arena selftest programs that did not load or returned otherwise").isEmpty();
        if (arenas) {
            assertThat(loaded).as("programs of supported types the arena selftests expect to load").isNotEmpty();
        }
    }

    /** A program's selftest tags: BTF DECL_TAGs on its FUNC, as bpf_misc.h's {@code __failure} and {@code __retval} make them. */
    private record Tags(boolean failure, Integer retval) {
        static Tags of(ObjectSpec spec, String function) throws IOException {
            Btf btf = spec.btf().orElseThrow();
            boolean failure = false;
            Integer retval = null;
            for (BtfType type : btf.types()) {
                if (type instanceof BtfType.DeclTag tag && tag.componentIndex() == -1
                        && btf.type(tag.type()) instanceof BtfType.Func func && func.name().equals(function)) {
                    java.util.regex.Matcher matched = TAG.matcher(tag.name());
                    String name = matched.matches() ? matched.group(1) : tag.name();
                    failure |= name.equals(FAILURE);
                    if (name.startsWith(RETVAL)) {
                        retval = parse(name.substring(RETVAL.length()));
                    }
                }
            }
            return new Tags(failure, retval);
        }

        /** A number as the selftests write it (decimal, hex, negative); null for a symbolic one. */
        private static Integer parse(String value) {
            try {
                return (int) Long.decode(value.strip()).longValue();
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}

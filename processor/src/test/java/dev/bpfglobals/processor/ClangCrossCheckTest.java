package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layout the processor promises, checked against the real compiler: each matrix record's
 * header is compiled by clang for the BPF target (natively and in compat mode, with -Wall -Werror),
 * and clang's symbol offsets and section sizes must equal the contract, variable by variable.
 */
class ClangCrossCheckTest {

    @TempDir
    Path dir;

    static Stream<LayoutMatrix.Case> cases() {
        return LayoutMatrix.CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void clangLaysOutTheHeaderExactlyAsTheContractSays(LayoutMatrix.Case matrixCase) throws Exception {
        checkLayout(matrixCase, "");
    }

    /**
     * The matrix cases whose variables vmlinux.h leaves free: "Scalars" names its globals s8, u8, ...
     * u64, which vmlinux.h defines as types, and C has one namespace for both (clang says
     * "redefinition of 's8' as different kind of symbol", naming it).
     */
    static Stream<LayoutMatrix.Case> casesWithoutKernelTypeNames() {
        return LayoutMatrix.CASES.stream().filter(c -> !c.binaryName().equals("matrix.Scalars"));
    }

    /** The same on the kernel's own types, as libbpf-bootstrap programs build: vmlinux.h first, then the header. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("casesWithoutKernelTypeNames")
    void clangLaysOutTheHeaderExactlyAsTheContractSaysAfterVmlinuxH(LayoutMatrix.Case matrixCase) throws Exception {
        java.nio.file.Files.copy(Clang.vmlinuxHeader(), dir.resolve("vmlinux.h"));
        checkLayout(matrixCase, "#include \"vmlinux.h\"\n");
    }

    private void checkLayout(LayoutMatrix.Case matrixCase, String prelude) throws Exception {
        Compiled compiled = Compiled.compile(matrixCase.binaryName(), matrixCase.source());
        Clang.write(dir.resolve("globals.h"), compiled.header(matrixCase.binaryName()));
        Clang.write(dir.resolve("prog.bpf.c"), prelude + "#include \"globals.h\"\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
        GlobalsContract contract = (GlobalsContract) compiled.classLoader()
                .loadClass(matrixCase.binaryName() + "Globals").getField("CONTRACT").get(null);
        Map<String, Long> jsonOffsets = jsonOffsets(compiled.contract(matrixCase.binaryName()));
        assertThat(dev.bpfglobals.contract.ContractJson.parse(compiled.contract(matrixCase.binaryName())))
                .as("the JSON file and the accessor's CONTRACT constant say the same").isEqualTo(contract);
        assertThat(dev.bpfglobals.contract.ContractJson.write(contract))
                .as("the runtime writes contracts exactly as the processor does").isEqualTo(compiled.contract(matrixCase.binaryName()));

        for (String mode : new String[] {"NATIVE", "BPF_GLOBALS_COMPAT"}) {
            Clang.Result result = Clang.compile(dir, "prog.bpf.c", mode + ".o", mode);
            assertThat(result.exitCode()).as("clang output:\n%s", result.output()).isZero();
            for (SectionContract section : contract.sections()) {
                Clang.SectionSymbols actual = Clang.symbols(dir, mode + ".o", section.name());
                assertThat(actual.size()).as("%s size of %s (%s)", section.name(), matrixCase, mode)
                        .isEqualTo(section.valueSize());
                Map<String, Long> expected = new LinkedHashMap<>();
                for (VariableContract v : section.variables()) {
                    expected.put(v.name(), (long) v.offset());
                    assertThat(jsonOffsets).containsEntry(v.name(), (long) v.offset());
                }
                assertThat(actual.offsets()).as("%s offsets (%s)", section.name(), mode)
                        .containsAllEntriesOf(expected);
            }
            // The object reader, from the object's BTF and symbols alone, finds the same names, C types, offsets and sizes.
            dev.bpfglobals.contract.ContractReport report =
                    dev.bpfglobals.runtime.ObjectSpec.open(dir.resolve(mode + ".o")).checkAgainst(contract);
            assertThat(report.matches()).as("object reader vs contract (%s):%n%s", mode, report.describe()).isTrue();
        }
    }

    /**
     * An XDP program reading {@code struct xdp_md} builds in both modes whichever kernel types it
     * builds on: the header brings in neither {@code <linux/bpf.h>} nor {@code vmlinux.h}, so switching
     * modes changes nothing the program sees, and it never clashes with {@code vmlinux.h}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelTypes")
    void aProgramBuildsInBothModesOnEitherKernelTypes(String kernelTypes) throws Exception {
        java.nio.file.Files.copy(Clang.vmlinuxHeader(), dir.resolve("vmlinux.h"));
        Compiled compiled = Compiled.compile(XdpStatsExample.NAME, XdpStatsExample.SOURCE);
        Clang.write(dir.resolve("xdp.h"), compiled.header(XdpStatsExample.NAME));
        boolean vmlinux = kernelTypes.equals("vmlinux.h");
        Clang.write(dir.resolve("xdp.bpf.c"), (vmlinux ? "#include \"vmlinux.h\"\n#include \"xdp.h\"\n"
                : "#include \"xdp.h\"\n#include <linux/bpf.h>\n") + """
                SEC("xdp")
                int count(struct xdp_md *ctx)
                {
                	BPF_PERCPU(packets) += ctx->data_end - ctx->data;
                	return 2;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);

        for (String mode : new String[] {"NATIVE", "BPF_GLOBALS_COMPAT"}) {
            Clang.Result result = Clang.compile(dir, "xdp.bpf.c", mode + ".o", mode);
            assertThat(result.exitCode()).as("clang output (%s, %s):%n%s", kernelTypes, mode, result.output()).isZero();
        }
    }

    static Stream<String> kernelTypes() {
        return Stream.of("linux/bpf.h", "vmlinux.h");
    }

    /**
     * A program that reaches {@code BPF_PERCPU} in compat mode pulls in the header's scratch copy; it
     * lives in a section of its own, so {@code .bss} stays exactly the {@code @Bss} globals.
     */
    @Test
    void theCompatScratchCopyLeavesTheBssSectionTheContractsSize() throws Exception {
        LayoutMatrix.Case all = LayoutMatrix.CASES.stream().filter(c -> c.simpleName().equals("AllSections")).findFirst().orElseThrow();
        Compiled compiled = Compiled.compile(all.binaryName(), all.source());
        Clang.write(dir.resolve("all.h"), compiled.header(all.binaryName()));
        Clang.write(dir.resolve("all.bpf.c"), """
                #include "all.h"
                #include <linux/bpf.h>
                SEC("xdp")
                int count(struct xdp_md *ctx)
                {
                	BPF_PERCPU(packets)++;
                	drops += mtu;
                	return 2;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        GlobalsContract contract = (GlobalsContract) compiled.classLoader()
                .loadClass(all.binaryName() + "Globals").getField("CONTRACT").get(null);

        Clang.Result result = Clang.compile(dir, "all.bpf.c", "all.o", "BPF_GLOBALS_COMPAT");

        assertThat(result.exitCode()).as("clang output:\n%s", result.output()).isZero();
        SectionContract bss = contract.sections().stream().filter(s -> s.name().equals(".bss")).findFirst().orElseThrow();
        assertThat(Clang.symbols(dir, "all.o", ".bss").size()).isEqualTo(bss.valueSize());
        assertThat(Clang.symbols(dir, "all.o", ".bss.bpf_globals").offsets()).containsKey("all_sections_this_cpu_unreachable");
        assertThat(dev.bpfglobals.runtime.ObjectSpec.open(dir.resolve("all.o")).checkAgainst(contract).matches()).isTrue();
    }

    /** What [BpfGlobalsVmlinuxName] warns of, on real clang: "Scalars" names its globals s8 ... u64. */
    @Test
    void globalsNamedLikeVmlinuxTypedefsFailAfterVmlinuxHAsTheWarningSays() throws Exception {
        LayoutMatrix.Case scalars = LayoutMatrix.CASES.stream().filter(c -> c.binaryName().equals("matrix.Scalars"))
                .findFirst().orElseThrow();
        java.nio.file.Files.copy(Clang.vmlinuxHeader(), dir.resolve("vmlinux.h"));
        Clang.write(dir.resolve("globals.h"), Compiled.compile(scalars.binaryName(), scalars.source()).header(scalars.binaryName()));
        Clang.write(dir.resolve("prog.bpf.c"), "#include \"vmlinux.h\"\n#include \"globals.h\"\n");

        Clang.Result result = Clang.compile(dir, "prog.bpf.c", "prog.o");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("redefinition of 's8' as different kind of symbol");
    }

    @Test
    void twoPercpuHeadersInOneProgramFailToCompileWithTheReason() throws Exception {
        Compiled first = Compiled.compile("matrix.SingleByte", LayoutMatrix.CASES.get(5).source());
        Compiled second = Compiled.compile("matrix.Enums", LayoutMatrix.CASES.get(7).source());
        Clang.write(dir.resolve("a.h"), first.header("matrix.SingleByte"));
        Clang.write(dir.resolve("b.h"), second.header("matrix.Enums"));
        Clang.write(dir.resolve("two.bpf.c"), "#include \"a.h\"\n#include \"b.h\"\n");

        Clang.Result result = Clang.compile(dir, "two.bpf.c", "two.o");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("an object has exactly one .percpu section")
                .contains("combine the Java records into one record");
    }

    @Test
    void headerLivesNextToTheProgramsOwnTypesOfTheSameShortNames() throws Exception {
        Compiled compiled = Compiled.compile("matrix.Arrays", LayoutMatrix.CASES.get(1).source());
        Clang.write(dir.resolve("arrays.h"), compiled.header("matrix.Arrays"));
        // What vmlinux.h or the program itself may declare: the Java types' short names, unprefixed.
        Clang.write(dir.resolve("own.bpf.c"), """
                #include "arrays.h"
                struct pair { long unrelated; };
                enum color { COLOR_RED, COLOR_GREEN };
                struct pair own_pair SEC(".data") = {0};
                enum color own_color SEC(".data") = COLOR_GREEN;
                char LICENSE[] SEC("license") = "GPL";
                """);

        for (String mode : new String[] {"NATIVE", "BPF_GLOBALS_COMPAT"}) {
            Clang.Result result = Clang.compile(dir, "own.bpf.c", mode + ".o", mode);
            assertThat(result.exitCode()).as("clang output (%s):%n%s", mode, result.output()).isZero();
        }
    }

    @Test
    void thisCpusSectionIsTakenOnceThroughAFunctionNamedUnlikeTheStruct() throws Exception {
        Compiled compiled = Compiled.compile(XdpStatsExample.NAME, XdpStatsExample.SOURCE);
        Clang.write(dir.resolve("xdp.h"), compiled.header(XdpStatsExample.NAME));
        Clang.write(dir.resolve("once.bpf.c"), """
                #include "xdp.h"
                SEC("xdp")
                int once(void *ctx)
                {
                	struct xdp_stats_percpu *stats = xdp_stats_this_cpu();

                	if (!stats)
                		return 2;
                	stats->packets += 1;
                	return 2;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);

        Clang.Result result = Clang.compile(dir, "once.bpf.c", "once.o", "BPF_GLOBALS_COMPAT");

        assertThat(result.exitCode()).as("clang output:%n%s", result.output()).isZero();
        assertThat(compiled.header(XdpStatsExample.NAME)).doesNotContainPattern("\\bxdp_stats_percpu\\s*\\(");
    }

    private static final Pattern JSON_VARIABLE = Pattern.compile(
            "\\{\"name\": \"(\\w+)\", \"cType\": \"[^\"]+\", \"offset\": (\\d+)");

    private static Map<String, Long> jsonOffsets(String json) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        Matcher m = JSON_VARIABLE.matcher(json);
        while (m.find()) {
            offsets.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return offsets;
    }
}

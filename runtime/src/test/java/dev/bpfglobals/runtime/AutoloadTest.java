package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * libbpf's {@code SEC("?...")}: the type is read after the {@code ?}, the program is left out of a
 * load, and {@link ObjectSpec#withAutoload} asks for it (or leaves out any other).
 */
class AutoloadTest {

    @Test
    void theTypeOfAQuestionMarkSectionIsReadAfterTheMarkAndItsAutoloadIsOff() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("autoload"));

        assertThat(object.programs()).extracting(ProgramSpec::name, ProgramSpec::section, ProgramSpec::type, ProgramSpec::autoload)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pass", "xdp", ProgramType.XDP, true),
                        org.assertj.core.groups.Tuple.tuple("unchecked_read", "?xdp", ProgramType.XDP, false),
                        org.assertj.core.groups.Tuple.tuple("later_tc", "?tc", ProgramType.SCHED_CLS, false));
        assertThat(ProgramType.ofSection("?tracepoint/syscalls/sys_enter_getpid")).isEqualTo(ProgramType.TRACEPOINT);
        assertThat(object.autoload("unchecked_read")).isFalse();
        assertThat(object.withAutoload("unchecked_read", true).autoload("unchecked_read")).isTrue();
        assertThat(object.withAutoload("pass", false).autoload("pass")).isFalse();
        assertThat(object.autoload("pass")).as("the original object is unchanged").isTrue();
    }

    @Test
    void autoloadOfAProgramTheObjectLacksIsRefusedNamingThoseItHas() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("autoload"));

        assertThatThrownBy(() -> object.withAutoload("missing", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no program named 'missing'; the object's programs: [pass, unchecked_read, later_tc]");
    }

    @Test
    @RequiresBpf
    void anObjectWhoseQuestionMarkProgramTheVerifierWouldRefuseLoadsWithoutIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("autoload"));

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram pass = loaded.program("pass")) {
            assertThat(pass.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(2);
            assertThatThrownBy(() -> loaded.program("unchecked_read"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'unchecked_read' was not loaded: its autoload is off (section '?xdp'; a leading '?' "
                            + "means do not load automatically); load it with ObjectSpec.withAutoload(\"unchecked_read\", true)");
        }
    }

    @Test
    @RequiresBpf
    void aQuestionMarkProgramAskedForIsLoadedAndHereRefusedByTheVerifier() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("autoload")).withAutoload("unchecked_read", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("program 'unchecked_read'")
                .hasMessageContaining("invalid access to packet");
    }

    @Test
    @RequiresBpf
    void aQuestionMarkProgramAskedForLoadsLikeAnyOther() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("autoload")).withAutoload("later_tc", true)
                .withAutoload("pass", false);

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram tc = loaded.program("later_tc")) {
            assertThat(tc.info().name()).isEqualTo("later_tc");
            assertThatThrownBy(() -> loaded.program("pass")).hasMessageContaining("program 'pass' was not loaded");
        }
    }
}

package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfFormatException;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * struct_ops maps that cannot be registered are refused in one line naming the map and what is
 * wrong ({@code struct_ops_bad.bpf.c}, one variant each): before any map or program is made, so
 * the answer does not depend on what the kernel would have said.
 */
@RequiresBpf
class StructOpsRefusalTest {

    @Test
    void aStructTheKernelDoesNotRegisterIsRefusedNamingIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "unknown", "-DUNKNOWN_STRUCT"));
        assertThatThrownBy(() -> LoadedObject.load(object).close()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("struct_ops map 'bad_ops': the kernel has no struct_ops type for struct bg_no_such_ops (no struct "
                        + "bpf_struct_ops_bg_no_such_ops in its BTF or any loaded module's), so it cannot register one; is struct "
                        + "bg_no_such_ops a struct_ops type of this kernel, and its module loaded?");
    }

    @Test
    void aMemberOfAnotherSizeThanTheKernelsIsRefusedNamingItAndBothSizes() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "short", "-DSHORT_NAME"));
        assertThatThrownBy(() -> LoadedObject.load(object).close()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("struct_ops map 'bad_ops': member 'name' of struct tcp_congestion_ops is 8 bytes in the object but 16 "
                        + "in the kernel's struct; declare it as the kernel does (from a vmlinux.h of this kernel)");
    }

    @Test
    void aProgramOfAnotherKindInACallbackSlotIsRefusedNamingTheSlotAndTheProgram() throws Exception {
        assertThatThrownBy(() -> ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "kprobe", "-DKPROBE_SLOT")))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("struct_ops map 'bad_ops': member 'init' is set to program 'bad_kprobe' of section "
                        + "'kprobe/do_nanosleep', which is not a struct_ops program; declare it in SEC(\"struct_ops/...\")");
    }

    @Test
    void aStructOpsProgramNoMapNamesIsRefusedNamingIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "unreferenced", "-DUNREFERENCED"));
        assertThatThrownBy(() -> LoadedObject.load(object).close()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("program 'bad_unused' in section 'struct_ops/bad_unused' is named by no struct_ops map");
    }

    @Test
    void aStructOpsProgramWhoseAutoloadIsOffLoadsWhereAMapNamesIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "optional",
                "-DOPTIONAL_INIT")))) {
            loaded.program("bad_init").close();
        }
    }

    @Test
    void aStructOpsProgramCannotBeAttachedByItselfButItsMapCan() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compileVariant("struct_ops_bad", "ok")))) {
            assertThatThrownBy(() -> loaded.attach("bad_init")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("register the struct_ops map that names it with LoadedObject.attach(mapName)");
        }
    }
}

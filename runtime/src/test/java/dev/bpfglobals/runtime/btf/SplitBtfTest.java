package dev.bpfglobals.runtime.btf;

import static dev.bpfglobals.runtime.btf.RawBtf.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Member;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Struct;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Int;
import dev.bpfglobals.runtime.btf.BtfReferenceTypes.Ptr;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A module's BTF as the kernel exposes it in {@code /sys/kernel/btf/MODULE}: split BTF on top of
 * vmlinux's, whose type ids continue after vmlinux's last and whose string offsets continue after
 * vmlinux's string section, hand-assembled here; and CO-RE searching it only where vmlinux has no
 * candidate, as libbpf's {@code bpf_core_find_cands} does.
 */
class SplitBtfTest {

    private static final int SIGNED_32 = 1 << 24 | 32;

    /** vmlinux: {@code int} (1), {@code struct task { int pid; }} (2). Strings: int 1, task 5, pid 10; 14 bytes. */
    private static final KernelBtf VMLINUX = KernelBtf.runningFrom(RawBtf.of("\0int\0task\0pid\0",
            1, info(BtfKind.INT, 0), 4, SIGNED_32,
            5, info(BtfKind.STRUCT, 1), 4, 10, 1, 0), Path.of("vmlinux"));

    /**
     * A module with {@code struct ovl_fs { int numlayer; struct task *layers; }} (3, layers at bit
     * {@code layersBit}), a pointer to vmlinux's task (4) and its own {@code struct task { int x; int pid; }} (5).
     * Its strings (ovl_fs 14, numlayer 21, layers 30, task 37, x 42) start without the base's NUL.
     */
    private static KernelBtf module(String name, int layersBit) {
        byte[] bytes = RawBtf.of("ovl_fs\0numlayer\0layers\0task\0x\0",
                14, info(BtfKind.STRUCT, 2), 16, 21, 1, 0, 30, 4, layersBit,
                0, info(BtfKind.PTR, 0), 2,
                37, info(BtfKind.STRUCT, 2), 8, 42, 1, 0, 10, 1, 32);
        return KernelBtf.module(name, bytes, VMLINUX, Path.of("/sys/kernel/btf/" + name));
    }

    /** The object: {@code int} (1), {@code struct ovl_fs { int numlayer; void *layers; }} (2), pointer (3), {@code struct task { int pid; }} (4). */
    private static final Btf LOCAL = Btf.of(List.of(
            Int.of("int", 4, true),
            new Struct("ovl_fs", 16, List.of(new Member("numlayer", 1, 0, 0), new Member("layers", 3, 64, 0))),
            new Ptr(0),
            new Struct("task", 4, List.of(new Member("pid", 1, 0, 0)))), ByteOrder.nativeOrder());

    @Test
    void moduleTypesFollowVmlinuxsAndTakeNamesFromBothStringSections() {
        KernelBtf overlay = module("overlay", 64);
        Btf btf = overlay.btf();

        assertThat(btf.size()).as("void, vmlinux's 2, the module's 3").isEqualTo(6);
        assertThat(btf.type(3)).isEqualTo(new Struct("ovl_fs", 16, List.of(new Member("numlayer", 1, 0, 0),
                new Member("layers", 4, 64, 0))));
        assertThat(btf.type(1)).as("vmlinux's int, seen through the module").isEqualTo(Int.of("int", 4, true));
        assertThat(btf.type(5).name()).isEqualTo("task");
        assertThat(((Struct) btf.type(5)).members().get(1).name()).as("a name in vmlinux's strings").isEqualTo("pid");
        assertThat(btf.cName(4)).isEqualTo("struct task *");
        assertThat(overlay.module()).isEqualTo("overlay");
        assertThat(overlay.isModule()).isTrue();
        assertThat(VMLINUX.isModule()).isFalse();
        assertThat(overlay.describe(3)).isEqualTo("overlay type 3");
    }

    @Test
    void aModulesIndexListsItsOwnTypesOnly() {
        KernelBtf overlay = module("overlay", 64);

        assertThat(overlay.candidates("task")).containsExactly(5);
        assertThat(overlay.candidates("int")).isEmpty();
        assertThat(overlay.find(BtfKind.STRUCT, "task")).hasValue(5);
        assertThat(overlay.find(BtfKind.INT, "int")).isEmpty();
        assertThat(VMLINUX.candidates("ovl_fs")).isEmpty();
    }

    @Test
    void coreFindsATypeOnlyAModuleDefinesAndGivesTheModulesValues() {
        KernelBtf overlay = module("overlay", 128);

        CoreResolver.Resolution layers = CoreResolver.resolve(LOCAL, 2, "0:1", CoreKind.FIELD_BYTE_OFFSET, VMLINUX,
                () -> List.of(overlay));
        CoreResolver.Resolution id = CoreResolver.resolve(LOCAL, 2, "0", CoreKind.TYPE_ID_TARGET, VMLINUX, () -> List.of(overlay));

        assertThat(layers.value()).isEqualTo(16);
        assertThat(layers.poison()).isFalse();
        assertThat(layers.target().btf()).isSameAs(overlay.btf());
        assertThat(id.value()).as("the id in the kernel's one id space").isEqualTo(3);
        assertThat(CoreResolver.resolve(LOCAL, 2, "0:1", CoreKind.FIELD_BYTE_OFFSET, VMLINUX).poison())
                .as("without modules, no candidate").isTrue();
    }

    @Test
    void vmlinuxCandidatesComeFirstAndModulesAreNotAskedFor() {
        CoreResolver.Resolution pid = CoreResolver.resolve(LOCAL, 4, "0:0", CoreKind.FIELD_BYTE_OFFSET, VMLINUX, () -> {
            throw new AssertionError("modules searched although vmlinux has a candidate");
        });

        assertThat(pid.value()).as("vmlinux's task.pid, not the module's at 4").isZero();
    }

    @Test
    void twoModulesCopiesOfAStructMustAgree() {
        CoreResolver.Resolution agreed = CoreResolver.resolve(LOCAL, 2, "0:1", CoreKind.FIELD_BYTE_OFFSET, VMLINUX,
                () -> List.of(module("9p", 64), module("9pnet", 64)));

        assertThat(agreed.value()).isEqualTo(8);
        assertThat(agreed.candidates()).isEqualTo(2);
        assertThatThrownBy(() -> CoreResolver.resolve(LOCAL, 2, "0:1", CoreKind.FIELD_BYTE_OFFSET, VMLINUX,
                () -> List.of(module("9p", 64), module("9pnet", 128))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ambiguous: kernel types [9p 3] and 9pnet 3 both match struct ovl_fs.layers, at bit offsets 64 and 128");
    }

    @Test
    void aNameOffsetPastBothStringSectionsIsRefusedNamingTheType() {
        byte[] bytes = RawBtf.of("a\0", 99, info(BtfKind.STRUCT, 0), 0);

        assertThatThrownBy(() -> KernelBtf.module("broken", bytes, VMLINUX, Path.of("/sys/kernel/btf/broken")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("module BTF /sys/kernel/btf/broken is not readable split BTF on vmlinux: invalid BTF: type 3: "
                        + "name offset 85 is outside the 2-byte BTF string section");
    }

    @Test
    void splitBtfThatIsNotBtfIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> KernelBtf.module("junk", new byte[30], VMLINUX, Path.of("/sys/kernel/btf/junk")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("module BTF /sys/kernel/btf/junk is not readable split BTF on vmlinux: invalid BTF: magic");
    }
}

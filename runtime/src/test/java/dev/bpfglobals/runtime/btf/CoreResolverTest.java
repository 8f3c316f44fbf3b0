package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Array;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Member;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Struct;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Union;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Enum;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.EnumValue;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Int;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CO-RE candidate matching and value computation on small hand-built BTF, no kernel: what libbpf's
 * {@code relo_core.c} gives for the same types.
 */
class CoreResolverTest {

    /** The kernel: {@code struct task { int state; union { int pid; int tid; }; int arr[2]; }}, an enum, bitfields. */
    private static final KernelBtf KERNEL = KernelBtf.of(Btf.of(List.of(
            Int.of("int", 4, true),                                                      // 1
            Int.of("unsigned int", 4, false),                                            // 2
            new Struct("task", 16, List.of(new Member("state", 1, 0, 0), new Member("", 4, 32, 0),
                    new Member("arr", 5, 64, 0))),                                       // 3
            new Union("", 4, List.of(new Member("pid", 1, 0, 0), new Member("tid", 1, 0, 0))), // 4
            new Array(1, 1, 2),                                                          // 5
            new Enum("color", 4, false, List.of(new EnumValue("RED", 0), new EnumValue("GREEN", 7))), // 6
            new Struct("bits", 4, List.of(new Member("lo", 1, 0, 3), new Member("hi", 2, 3, 5)))), // 7
            ByteOrder.nativeOrder()), Path.of("test-kernel"));

    /** The object: {@code struct task___mine { int pid; int arr[2]; int gone; }}, flavoured enum, bitfields, a struct no kernel has. */
    private static final Btf LOCAL = Btf.of(List.of(
            Int.of("int", 4, true),                                                      // 1
            new Struct("task___mine", 12, List.of(new Member("pid", 1, 0, 0), new Member("arr", 3, 32, 0),
                    new Member("gone", 1, 96, 0))),                                      // 2
            new Array(1, 1, 2),                                                          // 3
            new Struct("nothing", 4, List.of(new Member("x", 1, 0, 0))),                 // 4
            new Enum("color___mine", 4, false, List.of(new EnumValue("GREEN___x", 1), new EnumValue("BLUE", 2))), // 5
            new Struct("bits", 4, List.of(new Member("lo", 1, 0, 3), new Member("hi", 7, 3, 5))), // 6
            Int.of("unsigned int", 4, false),                                            // 7
            new Struct("task", 4, List.of(new Member("pid", 6, 0, 0)))),                 // 8: pid of the wrong type
            ByteOrder.nativeOrder());

    private static CoreResolver.Resolution resolve(int type, String access, CoreKind kind) {
        return CoreResolver.resolve(LOCAL, type, access, kind, KERNEL);
    }

    @Test
    void essentialNamesDropTheLastFlavour() {
        assertThat(KernelBtf.essentialName("task_struct___old")).isEqualTo("task_struct");
        assertThat(KernelBtf.essentialName("a___b___c")).isEqualTo("a___b");
        assertThat(KernelBtf.essentialName("___x")).isEqualTo("___x");
        assertThat(KernelBtf.essentialName("a____b")).isEqualTo("a____b");
        assertThat(KernelBtf.essentialName("plain")).isEqualTo("plain");
    }

    @Test
    void aFlavouredStructMatchesTheKernelsAndFindsAMemberInsideAnAnonymousUnion() {
        CoreResolver.Resolution pid = resolve(2, "0:0", CoreKind.FIELD_BYTE_OFFSET);

        assertThat(pid.localValue()).isZero();
        assertThat(pid.value()).isEqualTo(4);
        assertThat(pid.poison()).isFalse();
        assertThat(pid.target().describe()).isEqualTo("struct task.pid");
        assertThat(pid.target().raw()).containsExactly(0, 1, 0);
        assertThat(pid.local().describe()).isEqualTo("struct task___mine.pid");
    }

    @Test
    void arrayElementsAreOffsetByTheirIndex() {
        CoreResolver.Resolution element = resolve(2, "0:1:1", CoreKind.FIELD_BYTE_OFFSET);

        assertThat(element.localValue()).isEqualTo(8);
        assertThat(element.value()).isEqualTo(12);
        assertThat(element.target().describe()).isEqualTo("struct task.arr[1]");
        assertThat(resolve(2, "0:1:1", CoreKind.FIELD_BYTE_SIZE).value()).isEqualTo(4);
    }

    @Test
    void aFieldTheKernelLacksDoesNotExistAndPoisonsAnAccess() {
        assertThat(resolve(2, "0:2", CoreKind.FIELD_EXISTS)).satisfies(r -> {
            assertThat(r.value()).isZero();
            assertThat(r.poison()).isFalse();
        });
        assertThat(resolve(2, "0:0", CoreKind.FIELD_EXISTS).value()).isEqualTo(1);
        assertThat(resolve(2, "0:2", CoreKind.FIELD_BYTE_OFFSET).poison()).isTrue();
        assertThat(resolve(2, "0:2", CoreKind.FIELD_BYTE_SIZE).poison()).isTrue();
    }

    @Test
    void memberNamesMatchWholeWithoutFlavours() {
        Btf local = Btf.of(List.of(Int.of("int", 4, true),
                new Struct("task", 4, List.of(new Member("pid___v2", 1, 0, 0)))), ByteOrder.nativeOrder());

        assertThat(CoreResolver.resolve(local, 2, "0:0", CoreKind.FIELD_EXISTS, KERNEL).value()).isZero();
    }

    @Test
    void aMemberOfAnIncompatibleTypeIsNotAMatch() {
        assertThat(resolve(8, "0:0", CoreKind.FIELD_BYTE_OFFSET).poison()).isTrue();
        assertThat(resolve(8, "0:0", CoreKind.FIELD_EXISTS).value()).isZero();
    }

    @Test
    void typeRelocationsGiveTheKernelsTypeOrZeroWithoutOne() {
        assertThat(resolve(2, "0", CoreKind.TYPE_EXISTS).value()).isEqualTo(1);
        assertThat(resolve(2, "0", CoreKind.TYPE_SIZE).value()).isEqualTo(16);
        assertThat(resolve(2, "0", CoreKind.TYPE_ID_TARGET).value()).isEqualTo(3);
        assertThat(resolve(2, "0", CoreKind.TYPE_ID_LOCAL).value()).isEqualTo(2);
        for (CoreKind kind : List.of(CoreKind.TYPE_EXISTS, CoreKind.TYPE_SIZE, CoreKind.TYPE_ID_TARGET)) {
            assertThat(resolve(4, "0", kind)).as(kind.toString()).satisfies(r -> {
                assertThat(r.value()).isZero();
                assertThat(r.poison()).isFalse();
            });
        }
    }

    @Test
    void enumValuesAreMatchedByEssentialName() {
        assertThat(resolve(5, "0", CoreKind.ENUMVAL_VALUE).value()).isEqualTo(7);
        assertThat(resolve(5, "0", CoreKind.ENUMVAL_EXISTS).value()).isEqualTo(1);
        assertThat(resolve(5, "1", CoreKind.ENUMVAL_EXISTS).value()).isZero();
        assertThat(resolve(5, "1", CoreKind.ENUMVAL_VALUE).poison()).isTrue();
        assertThat(resolve(5, "0", CoreKind.ENUMVAL_VALUE).target().describe()).isEqualTo("enum color::GREEN");
    }

    @Test
    void bitfieldsGiveTheLoadAndShiftsThatExtractThem() {
        assertThat(resolve(6, "0:1", CoreKind.FIELD_BYTE_OFFSET).value()).isZero();
        assertThat(resolve(6, "0:1", CoreKind.FIELD_BYTE_SIZE).value()).isEqualTo(4);
        assertThat(resolve(6, "0:1", CoreKind.FIELD_LSHIFT_U64).value()).isEqualTo(64 - 8);
        assertThat(resolve(6, "0:1", CoreKind.FIELD_RSHIFT_U64).value()).isEqualTo(64 - 5);
        assertThat(resolve(6, "0:1", CoreKind.FIELD_SIGNED).value()).isZero();
        assertThat(resolve(6, "0:0", CoreKind.FIELD_SIGNED).value()).isEqualTo(1);
    }

    @Test
    void candidatesGivingDifferentOffsetsAreRefusedAsAmbiguous() {
        KernelBtf twoTasks = KernelBtf.of(Btf.of(List.of(
                Int.of("int", 4, true),
                new Struct("task", 8, List.of(new Member("pid", 1, 0, 0))),
                new Struct("task___v2", 8, List.of(new Member("pid", 1, 32, 0)))),
                ByteOrder.nativeOrder()), Path.of("two-tasks"));

        assertThatThrownBy(() -> CoreResolver.resolve(LOCAL, 2, "0:0", CoreKind.FIELD_BYTE_OFFSET, twoTasks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ambiguous")
                .hasMessageContaining("struct task___mine.pid");
    }

    @Test
    void candidatesAgreeingOnTheValueAreNotAmbiguous() {
        KernelBtf twoTasks = KernelBtf.of(Btf.of(List.of(
                Int.of("int", 4, true),
                new Struct("task", 8, List.of(new Member("pid", 1, 32, 0))),
                new Struct("task___v2", 8, List.of(new Member("other", 1, 0, 0), new Member("pid", 1, 32, 0)))),
                ByteOrder.nativeOrder()), Path.of("two-tasks"));

        assertThat(CoreResolver.resolve(LOCAL, 2, "0:0", CoreKind.FIELD_BYTE_OFFSET, twoTasks).value()).isEqualTo(4);
    }

    @Test
    void typeMatchesWantsEveryLocalMemberByNameWithTheSameShape() {
        Btf kernel = Btf.of(List.of(
                Int.of("int", 4, true),                                                  // 1
                Int.of("unsigned int", 4, false),                                        // 2
                new Struct("pair", 8, List.of(new Member("a", 1, 0, 0), new Member("b", 2, 32, 0))), // 3
                new BtfType.Ptr(5),                                                      // 4
                new BtfType.Fwd("opaque", false),                                        // 5
                new Struct("holder", 8, List.of(new Member("p", 4, 0, 0)))),             // 6
                ByteOrder.nativeOrder());
        Btf local = Btf.of(List.of(
                Int.of("int", 4, true),                                                  // 1
                Int.of("unsigned int", 4, false),                                        // 2
                new Struct("pair___only_b", 4, List.of(new Member("b", 2, 0, 0))),       // 3: a subset: matches
                new Struct("pair___signed_b", 4, List.of(new Member("b", 1, 0, 0))),     // 4: b of another sign: no
                new Struct("pair___extra", 4, List.of(new Member("c", 1, 0, 0))),        // 5: no member c: no
                new BtfType.Ptr(7),                                                      // 6
                new Struct("opaque", 4, List.of(new Member("x", 1, 0, 0))),              // 7
                new Struct("holder", 8, List.of(new Member("p", 6, 0, 0)))),             // 8: struct behind a pointer matches a fwd
                ByteOrder.nativeOrder());
        KernelBtf target = KernelBtf.of(kernel, Path.of("match"));

        assertThat(CoreResolver.resolve(local, 3, "0", CoreKind.TYPE_MATCHES, target).value()).isEqualTo(1);
        assertThat(CoreResolver.resolve(local, 4, "0", CoreKind.TYPE_MATCHES, target).value()).isZero();
        assertThat(CoreResolver.resolve(local, 5, "0", CoreKind.TYPE_MATCHES, target).value()).isZero();
        assertThat(CoreResolver.resolve(local, 8, "0", CoreKind.TYPE_MATCHES, target).value()).isEqualTo(1);
        assertThat(CoreResolver.resolve(local, 5, "0", CoreKind.TYPE_EXISTS, target).value()).as("exists is looser").isEqualTo(1);
    }

    /** One relocation as {@code .BTF.ext} gives it: root type id, access string, kind. */
    private record Relocation(int type, String access, CoreKind kind) {
        @Override
        public String toString() {
            return kind + " relocation '" + access + "' of type " + type;
        }
    }

    /** 20,000 relocations of every kind on random roots (void and one past the last id included) and access strings. */
    private static List<Relocation> randomRelocations() {
        Random random = new Random(14);
        List<Relocation> relocations = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int type = random.nextInt(LOCAL.size() + 1);
            StringBuilder access = new StringBuilder().append(random.nextInt(3));
            for (int depth = random.nextInt(4); depth > 0; depth--) {
                access.append(':').append(random.nextInt(4));
            }
            relocations.add(new Relocation(type, access.toString(), CoreKind.values()[random.nextInt(CoreKind.values().length)]));
        }
        return relocations;
    }

    @Test
    void anyRelocationThatIsRefusedIsRefusedWithAFormatOrArgumentErrorNamingIt() {
        int refused = 0;
        for (Relocation relocation : randomRelocations()) {
            Throwable thrown = catchThrowable(() -> resolve(relocation.type(), relocation.access(), relocation.kind()));
            if (thrown == null) {
                continue;
            }
            refused++;
            assertThat(thrown).as("what refuses the %s", relocation)
                    .isInstanceOfAny(IllegalArgumentException.class, BtfFormatException.class);
            assertThat(thrown.getMessage()).as("why the %s is refused", relocation)
                    .matches(message -> namesTheRelocation(message, relocation),
                            "names the access string '" + relocation.access() + "' or the root type " + relocation.type());
        }
        assertThat(refused).as("relocations refused").isGreaterThan(1000);
    }

    @Test
    void anyRelocationThatResolvesGivesWhatWalkingTheKernelTypesByHandGives() {
        Set<CoreKind> checked = EnumSet.noneOf(CoreKind.class);
        for (Relocation relocation : randomRelocations()) {
            CoreResolver.Resolution result;
            try {
                result = resolve(relocation.type(), relocation.access(), relocation.kind());
            } catch (IllegalArgumentException | BtfFormatException refused) {
                continue;
            }
            assertThat(result).as("the resolution of the %s", relocation).satisfies(r -> checkResolution(relocation, r));
            if (result.target() != null) {
                checked.add(relocation.kind());
            }
        }
        assertThat(checked).as("kinds resolved against a kernel type at least once").containsExactlyInAnyOrder(CoreKind.values());
    }

    /**
     * What libbpf's rules say a resolution must be, worked out from {@link #KERNEL}'s types along the
     * kernel-side access path, not through {@link CoreSpec} or {@link CoreResolver}.
     */
    private static void checkResolution(Relocation relocation, CoreResolver.Resolution r) {
        CoreKind kind = relocation.kind();
        Btf kernel = KERNEL.btf();
        boolean exists = kind == CoreKind.FIELD_EXISTS || kind == CoreKind.TYPE_EXISTS || kind == CoreKind.TYPE_MATCHES
                || kind == CoreKind.ENUMVAL_EXISTS;
        if (kind == CoreKind.TYPE_ID_LOCAL) {
            assertThat(r.value()).as("local type id").isEqualTo(relocation.type());
            return;
        }
        if (r.target() == null) {
            boolean needsTarget = (kind.isField() && kind != CoreKind.FIELD_EXISTS) || kind == CoreKind.ENUMVAL_VALUE;
            assertThat(r.poison()).as("poisoned, with no kernel match").isEqualTo(needsTarget);
            assertThat(r.value()).as("value with no kernel match").isZero();
            return;
        }
        assertThat(r.poison()).as("poisoned, with a kernel match").isFalse();
        assertThat(essentialName(kernel.type(r.target().rootId()).name()))
                .as("the kernel root's name without its flavour")
                .isEqualTo(essentialName(LOCAL.type(relocation.type()).name()));
        if (exists) {
            assertThat(r.value()).as("exists, with a kernel match").isEqualTo(1);
        } else if (kind == CoreKind.TYPE_ID_TARGET) {
            assertThat(r.value()).as("target type id").isEqualTo(r.target().rootId());
        } else if (kind == CoreKind.TYPE_SIZE) {
            assertThat(r.value()).as("kernel type size").isEqualTo(sizeOf(kernel, r.target().rootId()));
        } else if (kind == CoreKind.ENUMVAL_VALUE) {
            Enum localEnum = (Enum) LOCAL.type(relocation.type());
            Enum kernelEnum = (Enum) kernel.type(r.target().rootId());
            EnumValue kernelValue = kernelEnum.values().get(r.target().raw().get(0));
            assertThat(kernelValue.name()).as("the kernel enumerator")
                    .isEqualTo(essentialName(localEnum.values().get(Integer.parseInt(relocation.access())).name()));
            assertThat(r.value()).as("kernel enumerator value").isEqualTo(kernelValue.value());
        } else {
            Walk local = walk(LOCAL, relocation.type(), r.local().raw());
            Walk target = walk(kernel, r.target().rootId(), r.target().raw());
            assertThat(target.path()).as("the kernel's members and indices on the way").isEqualTo(local.path());
            long size = target.bitfieldSize() > 0 ? target.bitfieldSize() : sizeOf(kernel, target.typeId()) * 8;
            switch (kind) {
                case FIELD_BYTE_OFFSET -> {
                    if (target.bitfieldSize() == 0) {
                        assertThat(r.value() * 8).as("kernel field bit offset").isEqualTo(target.bitOffset());
                    }
                }
                case FIELD_BYTE_SIZE -> {
                    if (target.bitfieldSize() == 0) {
                        assertThat(r.value() * 8).as("kernel field bits").isEqualTo(size);
                    }
                }
                case FIELD_SIGNED -> assertThat(r.value()).as("kernel field signed")
                        .isEqualTo(kernel.type(target.typeId()) instanceof Int i && i.signed()
                                || kernel.type(target.typeId()) instanceof Enum e && e.signed() ? 1 : 0);
                case FIELD_RSHIFT_U64 -> assertThat(r.value()).as("right shift").isEqualTo(64 - size);
                case FIELD_LSHIFT_U64 -> {
                    if (target.bitfieldSize() == 0) {
                        assertThat(r.value()).as("left shift").isEqualTo(64 - size);
                    }
                }
                default -> throw new AssertionError(kind + " is not a field kind");
            }
        }
    }

    /** Where an access path leads: the named members and array indices passed, the bit offset, the final type. */
    private record Walk(List<String> path, long bitOffset, int typeId, int bitfieldSize) {
    }

    /** Follows {@code raw} (the access string's indices, anonymous members included) from {@code root} in {@code btf}. */
    private static Walk walk(Btf btf, int root, List<Integer> raw) {
        long bits = raw.get(0) * sizeOf(btf, root) * 8;
        List<String> path = new ArrayList<>();
        int id = root;
        int bitfield = 0;
        for (int index : raw.subList(1, raw.size())) {
            BtfType type = btf.type(id);
            List<Member> members = type instanceof Struct s ? s.members() : type instanceof Union u ? u.members() : null;
            if (members != null) {
                Member member = members.get(index);
                bits += member.bitOffset();
                if (!member.name().isEmpty()) {
                    path.add("." + member.name());
                }
                id = member.type();
                bitfield = member.bitfieldSize();
            } else {
                id = ((Array) type).elementType();
                bits += index * sizeOf(btf, id) * 8;
                path.add("[" + index + "]");
                bitfield = 0;
            }
        }
        return new Walk(path, bits, id, bitfield);
    }

    /** The size of a type of these hand-built BTFs (no typedefs or modifiers in them). */
    private static long sizeOf(Btf btf, int id) {
        return switch (btf.type(id)) {
            case Int i -> i.size();
            case Struct s -> s.size();
            case Union u -> u.size();
            case Enum e -> e.size();
            case Array a -> a.length() * sizeOf(btf, a.elementType());
            default -> throw new AssertionError("type " + id + " has no size here");
        };
    }

    /** A name without its last {@code ___flavour}. */
    private static String essentialName(String name) {
        int flavour = name.lastIndexOf("___");
        return flavour > 0 ? name.substring(0, flavour) : name;
    }

    /** Whether {@code message} names the relocation's access string, or its root type by id or by name. */
    private static boolean namesTheRelocation(String message, Relocation relocation) {
        if (message.contains("'" + relocation.access() + "'")
                || Pattern.compile("\\btype (id )?" + relocation.type() + "\\b").matcher(message).find()) {
            return true;
        }
        String root = relocation.type() < LOCAL.size() ? LOCAL.type(relocation.type()).name() : "";
        return !root.isEmpty() && message.contains(root);
    }

    @Test
    void anAccessStringThatDoesNotFitTheLocalTypeIsRefused() {
        assertThatThrownBy(() -> resolve(2, "0:7", CoreKind.FIELD_BYTE_OFFSET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no member 7");
        assertThatThrownBy(() -> resolve(2, "0:x", CoreKind.FIELD_BYTE_OFFSET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a list of indices");
    }
}

package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The helpers over a type set: resolving, sizes, alignment, C names, finding sections. */
class BtfTest {

    private final BtfBuilder b = new BtfBuilder();
    private final int uchar = b.add(BtfType.Int.of("unsigned char", 1, false));
    private final int u8 = b.add(new BtfType.Typedef("__u8", uchar));
    private final int uint = b.add(BtfType.Int.of("unsigned int", 4, false));
    private final int u32 = b.add(new BtfType.Typedef("__u32", uint));
    private final int ull = b.add(BtfType.Int.of("unsigned long long", 8, false));
    private final int u64 = b.add(new BtfType.Typedef("__u64", ull));
    private final int chr = b.add(BtfType.Int.of("char", 1, true));
    private final int bool = b.add(new BtfType.Int("_Bool", 1, BtfType.Int.BOOL, 0, 8));
    private final int index = b.add(BtfType.Int.of("__ARRAY_SIZE_TYPE__", 4, false));
    private final int constVolatileU32 = b.add(new BtfType.Const(b.add(new BtfType.Volatile(u32))));
    private final int pair = b.add(new BtfType.Struct("pair", 8, List.of(
            new BtfType.Member("x", u32, 0, 0), new BtfType.Member("y", u8, 32, 0))));
    private final int packed = b.add(new BtfType.Struct("packed", 9, List.of(
            new BtfType.Member("x", u8, 0, 0), new BtfType.Member("y", u64, 8, 0))));
    private final int state = b.add(new BtfType.Enum("state", 4, false, List.of(new BtfType.EnumValue("ON", 1))));
    private final int eightU32 = b.add(new BtfType.Array(u32, index, 8));
    private final int threeU8 = b.add(new BtfType.Array(u8, index, 3));
    private final int twoByThree = b.add(new BtfType.Array(threeU8, index, 2));
    private final int name = b.add(new BtfType.Array(chr, index, 5));
    private final int anonymous = b.add(new BtfType.Struct("", 4, List.of(new BtfType.Member("v", u32, 0, 0))));
    private final int flowT = b.add(new BtfType.Typedef("flow_t", anonymous));
    private final int pairT = b.add(new BtfType.Typedef("pair_t", pair));
    private final int fwd = b.add(new BtfType.Fwd("opaque", false));
    private final int pointerToPair = b.add(new BtfType.Ptr(pair));
    private final int pointers = b.add(new BtfType.Array(pointerToPair, index, 4));
    private final int var = b.add(new BtfType.Var("counts", eightU32, BtfType.Linkage.GLOBAL));
    private final int data = b.add(new BtfType.Datasec(".data", 32, List.of(new BtfType.VarSecinfo(var, 0, 32))));
    private final int huge = b.add(new BtfType.Array(b.add(new BtfType.Array(u64, index, 1 << 29)), index, 1 << 30));
    private final Btf btf = b.build();

    @Test
    void resolveSeesThroughTypedefsAndQualifiers() {
        assertThat(btf.resolve(constVolatileU32)).isEqualTo(uint);
        assertThat(btf.resolve(pairT)).isEqualTo(pair);
        assertThat(btf.resolve(pair)).isEqualTo(pair);
    }

    @Test
    void cNamesAreSpelledAsContractsSpellThem() {
        assertThat(btf.cName(u64)).isEqualTo("__u64");
        assertThat(btf.cName(ull)).isEqualTo("__u64");
        assertThat(btf.cName(constVolatileU32)).isEqualTo("__u32");
        assertThat(btf.cName(eightU32)).isEqualTo("__u32[8]");
        assertThat(btf.cName(pair)).isEqualTo("struct pair");
        assertThat(btf.cName(pairT)).isEqualTo("struct pair");
        assertThat(btf.cName(state)).isEqualTo("enum state");
        assertThat(btf.cName(bool)).isEqualTo("_Bool");
        assertThat(btf.cName(name)).isEqualTo("__s8[5]");
        assertThat(btf.cName(var)).isEqualTo("__u32[8]");
    }

    @Test
    void cNamesOfRarerShapesReadAsC() {
        assertThat(btf.cName(twoByThree)).isEqualTo("__u8[2][3]");
        assertThat(btf.cName(flowT)).isEqualTo("flow_t");
        assertThat(btf.cName(pointers)).isEqualTo("struct pair *[4]");
        assertThat(btf.cName(fwd)).isEqualTo("struct opaque");
        assertThat(btf.cName(0)).isEqualTo("void");
    }

    @Test
    void sizesFollowTypedefsArraysAndVariables() {
        assertThat(btf.sizeOf(u64)).isEqualTo(8);
        assertThat(btf.sizeOf(constVolatileU32)).isEqualTo(4);
        assertThat(btf.sizeOf(eightU32)).isEqualTo(32);
        assertThat(btf.sizeOf(twoByThree)).isEqualTo(6);
        assertThat(btf.sizeOf(pointers)).isEqualTo(32);
        assertThat(btf.sizeOf(var)).isEqualTo(32);
        assertThat(btf.sizeOf(data)).isEqualTo(32);
        assertThat(btf.sizeOf(huge)).isEqualTo(1L << 62);
    }

    @Test
    void typesWithoutASizeSayWhich() {
        assertThatThrownBy(() -> btf.sizeOf(fwd)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("(FWD 'opaque') has no size");
        assertThatThrownBy(() -> btf.sizeOf(0)).isInstanceOf(BtfFormatException.class).hasMessageContaining("has no size");
    }

    @Test
    void sizeThatOverflowsIsAFormatError() {
        BtfBuilder more = new BtfBuilder(btf);
        int index = more.add(BtfType.Int.of("i", 4, false));
        int bigger = more.add(new BtfType.Array(huge, index, 1 << 30));

        assertThatThrownBy(() -> more.build().sizeOf(bigger)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("overflows");
    }

    @Test
    void alignmentIsNaturalAndOneForPackedStructs() {
        assertThat(btf.alignmentOf(u64)).isEqualTo(8);
        assertThat(btf.alignmentOf(pair)).isEqualTo(4);
        assertThat(btf.alignmentOf(name)).isEqualTo(1);
        assertThat(btf.alignmentOf(eightU32)).isEqualTo(4);
        assertThat(btf.alignmentOf(packed)).isEqualTo(1);
        assertThat(btf.alignmentOf(pointerToPair)).isEqualTo(8);
    }

    @Test
    void findsDatasecsByName() {
        assertThat(btf.datasecId(".data")).hasValue(data);
        assertThat(btf.datasec(".data")).hasValueSatisfying(d -> assertThat(d.size()).isEqualTo(32));
        assertThat(btf.datasec(".percpu")).isEmpty();
        assertThat(btf.find(BtfKind.STRUCT, "pair")).hasValue(pair);
    }

    @Test
    void typeByIdChecksRangeAndKind() {
        assertThat(btf.type(pair, BtfType.Struct.class).size()).isEqualTo(8);
        assertThatThrownBy(() -> btf.type(pair, BtfType.Datasec.class)).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("(STRUCT 'pair') is not a DATASEC");
        assertThatThrownBy(() -> btf.type(9999)).isInstanceOf(BtfFormatException.class).hasMessageContaining("no type id 9999");
    }

    @Test
    void replacingATypeChecksTheResultAgain() {
        Btf fixed = btf.withType(data, new BtfType.Datasec(".data", 64, List.of(new BtfType.VarSecinfo(var, 32, 32))));

        assertThat(fixed.datasec(".data").orElseThrow().entries().get(0).offset()).isEqualTo(32);
        assertThat(btf.datasec(".data").orElseThrow().entries().get(0).offset()).isZero();
        assertThatThrownBy(() -> btf.withType(u32, new BtfType.Typedef("__u32", constVolatileU32)))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("loop");
    }

    @Test
    void voidCannotBeListedAndDatasecsHoldOnlyVariables() {
        assertThatThrownBy(() -> Btf.of(List.of(BtfType.Void.INSTANCE), ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("void is type 0");
        assertThatThrownBy(() -> Btf.of(List.of(BtfType.Int.of("int", 4, true),
                new BtfType.Datasec(".data", 4, List.of(new BtfType.VarSecinfo(1, 0, 4)))), ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(BtfFormatException.class).hasMessageContaining("not a VAR");
    }

    @Test
    void aMillionTypeChainIsRefusedAtTheResolveDepthWithoutOverflowingTheStack() {
        BtfBuilder chain = new BtfBuilder();
        int last = chain.add(BtfType.Int.of("int", 4, true));
        for (int i = 0; i < 1_000_000; i++) {
            last = chain.add(new BtfType.Const(last));
        }

        assertThatThrownBy(chain::build).isInstanceOf(BtfFormatException.class)
                .hasMessageContaining("type 34 (CONST) is built on more than 32");
    }
}

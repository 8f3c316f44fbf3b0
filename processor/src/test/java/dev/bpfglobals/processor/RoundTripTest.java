package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.SectionCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoding a record and decoding it back gives the same record, for every matrix record. */
class RoundTripTest {

    static Stream<LayoutMatrix.Case> cases() {
        // The .percpu-only cases; the ones spanning sections have their own round trip below.
        return LayoutMatrix.CASES.stream().filter(c -> !java.util.Set.of("Mixed", "AllSections", "BssAndRodata").contains(c.simpleName()));
    }

    @SuppressWarnings("unchecked")
    private static SectionCodec<Record> percpuCodec(ClassLoader loader, String binaryName) throws ReflectiveOperationException {
        return (SectionCodec<Record>) loader.loadClass(binaryName + "Globals").getField("PERCPU").get(null);
    }

    /** A sample of the record, as the accessor's PerCpuPart: for a .percpu-only record, the same components. */
    private static Record samplePerCpuPart(ClassLoader loader, String binaryName) throws ReflectiveOperationException {
        Record whole = (Record) new SampleValues().of(loader.loadClass(binaryName));
        var components = whole.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = components[i].getAccessor().invoke(whole);
        }
        return (Record) perCpuPartType(loader, binaryName).getDeclaredConstructors()[0].newInstance(values);
    }

    private static Class<?> perCpuPartType(ClassLoader loader, String binaryName) throws ClassNotFoundException {
        return loader.loadClass(binaryName + "Globals$PerCpuPart");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodeOfEncodeIsTheSameRecord(LayoutMatrix.Case matrixCase) throws Exception {
        ClassLoader loader = Compiled.compile(matrixCase.binaryName(), matrixCase.source()).classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, matrixCase.binaryName());
        Record value = samplePerCpuPart(loader, matrixCase.binaryName());
        MemorySegment segment = Arena.ofAuto().allocate(codec.section().valueSize());
        segment.fill((byte) 0x5a);

        codec.encode(value, segment);

        assertThat(codec.decode(segment)).usingRecursiveComparison().isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodeLeavesNoOldByteInPadding(LayoutMatrix.Case matrixCase) throws Exception {
        ClassLoader loader = Compiled.compile(matrixCase.binaryName(), matrixCase.source()).classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, matrixCase.binaryName());
        Record value = samplePerCpuPart(loader, matrixCase.binaryName());
        MemorySegment dirty = Arena.ofAuto().allocate(codec.section().valueSize());
        MemorySegment clean = Arena.ofAuto().allocate(codec.section().valueSize());
        dirty.fill((byte) 0x5a);

        codec.encode(value, dirty);
        codec.encode(value, clean);

        assertThat(dirty.toArray(ValueLayout.JAVA_BYTE)).as("every byte is a variable's or zero, whatever the buffer held")
                .isEqualTo(clean.toArray(ValueLayout.JAVA_BYTE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sumOfTwoEqualCopiesDoublesIntegersAndKeepsTheRest(LayoutMatrix.Case matrixCase) throws Exception {
        ClassLoader loader = Compiled.compile(matrixCase.binaryName(), matrixCase.source()).classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, matrixCase.binaryName());
        Record value = samplePerCpuPart(loader, matrixCase.binaryName());
        PerCpuSnapshot<Record> snapshot = PerCpuSnapshot.allocate(codec, PossibleCpus.parse("0-1"));
        codec.encode(value, snapshot.slot(0));
        codec.encode(value, snapshot.slot(1));

        Record sum = snapshot.sum();

        assertThat(sum).as("the sum of two copies of %s, worked out field by field from the copies written", value)
                .usingRecursiveComparison().isEqualTo(expectedSum(List.of(value, value)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sumOfTwoDifferentCopiesAddsIntegersOrsBooleansAndKeepsTheFirstEnumOrChar(LayoutMatrix.Case matrixCase) throws Exception {
        ClassLoader loader = Compiled.compile(matrixCase.binaryName(), matrixCase.source()).classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, matrixCase.binaryName());
        Record first = samplePerCpuPart(loader, matrixCase.binaryName());
        Record second = (Record) zip(List.of(first), leaves -> anotherValue(leaves.get(0)));
        PerCpuSnapshot<Record> snapshot = PerCpuSnapshot.allocate(codec, PossibleCpus.parse("0-1"));
        codec.encode(first, snapshot.slot(0));
        codec.encode(second, snapshot.slot(1));

        Record sum = snapshot.sum();

        assertThat(sum).as("the sum of CPU 0's %s and CPU 1's %s, worked out field by field from the copies written", first, second)
                .usingRecursiveComparison().isEqualTo(expectedSum(List.of(first, second)));
    }

    /**
     * The sum of {@code copies} by the rules {@link SectionCodec#sum} documents, worked out here on
     * the Java values and not through any codec: integers add with two's-complement wrap-around,
     * booleans are OR-ed, enums and chars keep the first copy's value, arrays and records go element
     * by element.
     */
    private static Object expectedSum(List<Object> copies) throws ReflectiveOperationException {
        return zip(copies, RoundTripTest::sumOfLeaves);
    }

    private static Object sumOfLeaves(List<Object> copies) {
        long total = 0;
        for (Object copy : copies) {
            total += copy instanceof Number n ? n.longValue() : 0;
        }
        return switch (copies.get(0)) {
            case Byte b -> (byte) total;
            case Short s -> (short) total;
            case Integer i -> (int) total;
            case Long l -> total;
            case Boolean b -> copies.contains(Boolean.TRUE);
            case Character c -> c;
            case Enum<?> e -> e;
            default -> throw new IllegalArgumentException("no sum rule for " + copies.get(0).getClass());
        };
    }

    /** A value other than {@code leaf} of the same type: for a boolean its negation, for an enum the next constant. */
    private static Object anotherValue(Object leaf) {
        return switch (leaf) {
            case Byte b -> (byte) (b * 3 + 1);
            case Short s -> (short) (s * 3 + 1);
            case Integer i -> i * 3 + 1;
            case Long l -> l * 3 + 1;
            case Boolean b -> !b;
            case Character c -> (char) (c + 1);
            case Enum<?> e -> e.getDeclaringClass().getEnumConstants()[(e.ordinal() + 1) % e.getDeclaringClass().getEnumConstants().length];
            default -> throw new IllegalArgumentException("no other value for " + leaf.getClass());
        };
    }

    /**
     * Walks {@code values}, records or arrays of one shape (or leaves), in step, and rebuilds that
     * shape with {@code leaf} applied to each list of corresponding leaves.
     */
    private static Object zip(List<Object> values, Function<List<Object>, Object> leaf) throws ReflectiveOperationException {
        Class<?> type = values.get(0).getClass();
        if (type.isArray()) {
            int length = Array.getLength(values.get(0));
            Object result = Array.newInstance(type.getComponentType(), length);
            for (int i = 0; i < length; i++) {
                List<Object> elements = new ArrayList<>();
                for (Object value : values) {
                    elements.add(Array.get(value, i));
                }
                Array.set(result, i, zip(elements, leaf));
            }
            return result;
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] arguments = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int c = 0; c < components.length; c++) {
                List<Object> fields = new ArrayList<>();
                for (Object value : values) {
                    fields.add(components[c].getAccessor().invoke(value));
                }
                arguments[c] = zip(fields, leaf);
                types[c] = components[c].getType();
            }
            return type.getDeclaredConstructor(types).newInstance(arguments);
        }
        return leaf.apply(values);
    }

    @Test
    void encodeWritesTheContractExampleAtClangsOffsets() throws Exception {
        LayoutMatrix.Case example = LayoutMatrix.CASES.get(3);
        ClassLoader loader = Compiled.compile(example.binaryName(), example.source()).classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, example.binaryName());
        Class<?> type = perCpuPartType(loader, example.binaryName());
        Class<?> d = loader.loadClass(example.binaryName() + "$D");
        Object dValue = d.getDeclaredConstructor(int.class, byte.class).newInstance(0x11223344, (byte) 0x55);
        Record value = (Record) type.getDeclaredConstructors()[0].newInstance((byte) 1, 2L, (short) 3, dValue,
                new byte[] {'a', 'b', 'c', 'd', 0}, (byte) 6);
        MemorySegment segment = Arena.ofAuto().allocate(34);
        segment.fill((byte) 0x77);

        codec.encode(value, segment);

        assertThat(segment.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 1)).as("padding is zeroed").isZero();
        assertThat(segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 8)).isEqualTo(2L);
        assertThat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, 16)).isEqualTo((short) 3);
        assertThat(segment.get(ValueLayout.JAVA_INT_UNALIGNED, 20)).isEqualTo(0x11223344);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 24)).isEqualTo((byte) 0x55);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 28)).isEqualTo((byte) 'a');
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 33)).isEqualTo((byte) 6);
    }

    @Test
    void encodeRejectsAnArrayOfTheWrongLengthNamingTheComponent() throws Exception {
        Compiled compiled = Compiled.compile(XdpStatsExample.NAME, XdpStatsExample.SOURCE);
        ClassLoader loader = compiled.classLoader();
        SectionCodec<Record> codec = percpuCodec(loader, XdpStatsExample.NAME);
        Record wrong = (Record) perCpuPartType(loader, XdpStatsExample.NAME).getDeclaredConstructors()[0]
                .newInstance(1L, 2L, new long[3], 4);

        assertThatThrownBy(() -> codec.encode(wrong, Arena.ofAuto().allocate(84)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sizeBuckets must have exactly 8 elements");
    }

    @Test
    void decodeOfAnEnumValueTheJavaEnumLacksFailsNamingTheField() throws Exception {
        LayoutMatrix.Case enums = LayoutMatrix.CASES.get(7);
        SectionCodec<Record> codec = percpuCodec(Compiled.compile(enums.binaryName(), enums.source()).classLoader(),
                enums.binaryName());
        MemorySegment segment = Arena.ofAuto().allocate(codec.section().valueSize());
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 7);

        assertThatThrownBy(() -> codec.decode(segment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proto holds 7");
    }

    @Test
    void decodeOfATooSmallSegmentFailsInsteadOfReadingPastIt() throws Exception {
        SectionCodec<Record> codec = percpuCodec(Compiled.compile(XdpStatsExample.NAME, XdpStatsExample.SOURCE).classLoader(),
                XdpStatsExample.NAME);

        assertThatThrownBy(() -> codec.decode(Arena.ofAuto().allocate(80)))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void mixedRecordRoundTripsThroughBothSections() throws Exception {
        LayoutMatrix.Case mixed = LayoutMatrix.CASES.get(8);
        ClassLoader loader = Compiled.compile(mixed.binaryName(), mixed.source()).classLoader();
        Class<?> globals = loader.loadClass(mixed.binaryName() + "Globals");
        Record value = (Record) new SampleValues().of(loader.loadClass(mixed.binaryName()));
        MemorySegment percpu = Arena.ofAuto().allocate(globals.getField("PERCPU_VALUE_SIZE").getInt(null));
        MemorySegment data = Arena.ofAuto().allocate(globals.getField("DATA_VALUE_SIZE").getInt(null));

        globals.getMethod("encode", value.getClass(), MemorySegment.class, MemorySegment.class).invoke(null, value, percpu, data);
        Object back = globals.getMethod("decode", MemorySegment.class, MemorySegment.class).invoke(null, percpu, data);

        assertThat(back).usingRecursiveComparison().isEqualTo(value);
        assertThat(data.get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(value.getClass().getMethod("limit").invoke(value));
    }

    @Test
    void recordInAllFourSectionsRoundTripsThroughEachSectionAndItsImage() throws Exception {
        LayoutMatrix.Case all = LayoutMatrix.CASES.stream().filter(c -> c.simpleName().equals("AllSections")).findFirst().orElseThrow();
        ClassLoader loader = Compiled.compile(all.binaryName(), all.source()).classLoader();
        Class<?> globals = loader.loadClass(all.binaryName() + "Globals");
        Record value = (Record) new SampleValues().of(loader.loadClass(all.binaryName()));
        MemorySegment[] sections = new MemorySegment[4];
        String[] prefixes = {"PERCPU", "DATA", "BSS", "RODATA"};
        for (int i = 0; i < 4; i++) {
            sections[i] = Arena.ofAuto().allocate(globals.getField(prefixes[i] + "_VALUE_SIZE").getInt(null));
        }
        Class<?>[] four = {MemorySegment.class, MemorySegment.class, MemorySegment.class, MemorySegment.class};

        globals.getMethod("encode", value.getClass(), MemorySegment.class, MemorySegment.class, MemorySegment.class,
                MemorySegment.class).invoke(null, value, sections[0], sections[1], sections[2], sections[3]);
        Object back = globals.getMethod("decode", four).invoke(null, (Object[]) sections);

        assertThat(back).usingRecursiveComparison().isEqualTo(value);
        assertThat(sections[3].get(ValueLayout.JAVA_SHORT_UNALIGNED, globals.getField("MTU_OFFSET").getLong(null)))
                .isEqualTo(value.getClass().getMethod("mtu").invoke(value));
        Class<?> rodataPart = loader.loadClass(all.binaryName() + "Globals$RodataPart");
        Object part = globals.getMethod("decodeRodata", MemorySegment.class).invoke(null, sections[3]);
        byte[] image = (byte[]) globals.getMethod("rodataImage", rodataPart).invoke(null, part);
        assertThat(image).as("rodataImage is the encoded .rodata section").isEqualTo(sections[3].toArray(ValueLayout.JAVA_BYTE));
    }
}

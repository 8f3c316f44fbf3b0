package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.GlobalDataView;
import dev.bpfglobals.runtime.SectionCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code DataView}, compiled together with a caller that uses its typed API, run over
 * plain memory laid out as the section (the kernel tests bind it to a real mmapped {@code .data}).
 */
class DataViewTest {

    private static final String RECORD = """
            package t;
            import dev.bpfglobals.annotations.*;
            public record R(@PerCpu long hits, @Unsigned long limit, @Length(4) int[] hist, boolean on, char c,
                    Mode mode, Pair pair, @Length(2) Pair[] pairs) {
                public enum Mode { A, B }
                public record Pair(int a, byte b) {}
            }
            """;

    /** Writes the whole record, then single variables and elements, and reports what it reads back. */
    private static final String CALLER = """
            package t;
            import java.util.List;
            public final class Caller {
                public static List<Object> run(RGlobals.DataView view) {
                    view.write(new RGlobals.DataPart(7L, new int[] {1, 2, 3, 4}, true, 'x', R.Mode.B, new R.Pair(5, (byte) 6),
                            new R.Pair[] {new R.Pair(7, (byte) 8), new R.Pair(9, (byte) 10)}));
                    String whole = view.read().toString();
                    view.hist(2, 30);
                    view.pairs(1, new R.Pair(90, (byte) 100));
                    view.limit(70L);
                    view.mode(R.Mode.A);
                    return List.of(whole, view.read().toString(), view.hist(2), view.mode(), view.pair(), view.c(), view.on(),
                            view.read().equals(view.read()), view.read().hashCode() == view.read().hashCode(), view.hist().length);
                }
                public static void badArray(RGlobals.DataView view) {
                    view.hist(new int[3]);
                }
            }
            """;

    private final ClassLoader loader = Compiled.compile("t.R", RECORD, "t.Caller", CALLER).classLoader();

    /** The generated view over {@code memory}, bound as {@code bindData} binds a loaded object's section. */
    @SuppressWarnings("unchecked")
    private Object dataView(MemorySegment memory) throws ReflectiveOperationException {
        SectionCodec<Record> codec = (SectionCodec<Record>) loader.loadClass("t.RGlobals").getField("DATA").get(null);
        GlobalDataView<Record> view = GlobalDataView.bind(".data", memory, codec.section(), codec);
        Constructor<?> constructor = loader.loadClass("t.RGlobals$DataView").getDeclaredConstructor(GlobalDataView.class);
        constructor.setAccessible(true);
        return constructor.newInstance(view);
    }

    private MemorySegment sectionMemory() throws ReflectiveOperationException {
        int size = loader.loadClass("t.RGlobals").getField("DATA_VALUE_SIZE").getInt(null);
        return MemorySegment.ofArray(new long[(size + 7) / 8]).asSlice(0, size);
    }

    private Object call(String method, Object view) throws ReflectiveOperationException {
        Class<?> caller = loader.loadClass("t.Caller");
        return caller.getMethod(method, view.getClass()).invoke(null, view);
    }

    @Test
    void settersWriteOneVariableOrElementAndGettersReadItBack() throws Exception {
        MemorySegment memory = sectionMemory();
        memory.fill((byte) 0x5a);

        List<?> seen = (List<?>) call("run", dataView(memory));

        assertThat(seen.get(0)).hasToString("DataPart[limit=7, hist=[1, 2, 3, 4], on=true, c=x, mode=B, "
                + "pair=Pair[a=5, b=6], pairs=[Pair[a=7, b=8], Pair[a=9, b=10]]]");
        assertThat(seen.get(1)).hasToString("DataPart[limit=70, hist=[1, 2, 30, 4], on=true, c=x, mode=A, "
                + "pair=Pair[a=5, b=6], pairs=[Pair[a=7, b=8], Pair[a=90, b=100]]]");
        assertThat(seen.subList(2, seen.size()).toString()).isEqualTo("[30, A, Pair[a=5, b=6], x, true, true, true, 4]");
    }

    @Test
    void theViewLeavesThePaddingBetweenVariablesAsItFoundIt() throws Exception {
        MemorySegment memory = sectionMemory();
        memory.fill((byte) 0x5a);

        call("run", dataView(memory));

        // on (_Bool at 24) and c (__u16 at 26) leave one byte of padding at 25.
        assertThat(memory.get(ValueLayout.JAVA_BYTE, 25)).isEqualTo((byte) 0x5a);
    }

    @Test
    void aWholeArrayOfTheWrongLengthIsRefusedNamingTheComponent() throws Exception {
        Object view = dataView(sectionMemory());

        assertThatThrownBy(() -> call("badArray", view))
                .isInstanceOf(InvocationTargetException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hist must have exactly 4 elements (@Length), but has 3");
    }
}

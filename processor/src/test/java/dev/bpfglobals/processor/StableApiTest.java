package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A caller compiled against one section's generated API still compiles when the record gains a
 * component in another section ({@code .percpu}, {@code .data}, {@code .bss}, {@code .rodata}): the types and names of a section's API depend on that section
 * alone.
 */
class StableApiTest {

    private static final JavaFileObject PERCPU_CALLER = JavaFileObjects.forSourceString("t.PerCpuCaller", """
            package t;
            import dev.bpfglobals.runtime.PerCpuArrayMap;
            import dev.bpfglobals.runtime.PerCpuGlobals;
            import dev.bpfglobals.runtime.PerCpuSnapshot;
            import dev.bpfglobals.runtime.SectionCodec;
            import java.lang.foreign.MemorySegment;
            final class PerCpuCaller {
                static long use(PerCpuArrayMap map, MemorySegment image) {
                    SectionCodec<RGlobals.PerCpuPart> codec = RGlobals.PERCPU;
                    RGlobals.PerCpuPart value = RGlobals.decodePerCpu(image);
                    RGlobals.encodePerCpu(new RGlobals.PerCpuPart(value.hits() + 1, value.buckets()), image);
                    try (PerCpuGlobals<RGlobals.PerCpuPart> globals = RGlobals.bind(map)) {
                        PerCpuSnapshot<RGlobals.PerCpuPart> snapshot = globals.newSnapshot();
                        RGlobals.PerCpuPart total = snapshot.sum();
                        return RGlobals.hits(snapshot, 0) + RGlobals.hitsSum(snapshot) + RGlobals.buckets(snapshot, 0, 1)
                                + total.hits() + RGlobals.HITS_OFFSET + RGlobals.PERCPU_VALUE_SIZE
                                + codec.section().valueSize();
                    }
                }
            }
            """);

    private static final JavaFileObject DATA_CALLER = JavaFileObjects.forSourceString("t.DataCaller", """
            package t;
            import dev.bpfglobals.runtime.SectionCodec;
            import java.lang.foreign.MemorySegment;
            final class DataCaller {
                static int use(MemorySegment image) {
                    SectionCodec<RGlobals.DataPart> codec = RGlobals.DATA;
                    RGlobals.DataPart value = RGlobals.decodeData(image);
                    RGlobals.encodeData(new RGlobals.DataPart(value.limit() + 1), image);
                    return value.limit() + (int) RGlobals.LIMIT_OFFSET + RGlobals.DATA_VALUE_SIZE + codec.section().valueSize();
                }
            }
            """);

    private static final JavaFileObject DATA_VIEW_CALLER = JavaFileObjects.forSourceString("t.DataViewCaller", """
            package t;
            import dev.bpfglobals.runtime.GlobalDataView;
            import dev.bpfglobals.runtime.LoadedObject;
            final class DataViewCaller {
                static int use(LoadedObject loaded) {
                    RGlobals.DataView data = RGlobals.bindData(loaded);
                    data.limit(data.limit() + 1);
                    RGlobals.DataPart all = data.read();
                    data.write(new RGlobals.DataPart(all.limit()));
                    GlobalDataView<RGlobals.DataPart> raw = data.view();
                    return raw.getInt(raw.variable("limit"), 0);
                }
            }
            """);

    private static final JavaFileObject BSS_RODATA_CALLER = JavaFileObjects.forSourceString("t.BssRodataCaller", """
            package t;
            import dev.bpfglobals.runtime.SectionCodec;
            import dev.bpfglobals.runtime.ObjectSpec;
            import dev.bpfglobals.runtime.LoadedObject;
            final class BssRodataCaller {
                static ObjectSpec configure(ObjectSpec object) {
                    SectionCodec<RGlobals.RodataPart> codec = RGlobals.RODATA;
                    byte[] image = RGlobals.rodataImage(new RGlobals.RodataPart(1500));
                    return object.withGlobalImage(RGlobals.RODATA_SECTION, image)
                            .withGlobalImage(RGlobals.BSS_SECTION, RGlobals.bssImage(new RGlobals.BssPart(7L)));
                }
                static long use(LoadedObject loaded) {
                    RGlobals.BssView bss = RGlobals.bindBss(loaded);
                    bss.seen(bss.seen() + 1);
                    bss.write(new RGlobals.BssPart(bss.read().seen()));
                    RGlobals.RodataView rodata = RGlobals.bindRodata(loaded);
                    RGlobals.RodataPart all = rodata.read();
                    return rodata.mtu() + all.mtu() + RGlobals.MTU_OFFSET + RGlobals.SEEN_OFFSET + RGlobals.BSS_VALUE_SIZE;
                }
            }
            """);

    private static JavaFileObject record(String components) {
        return JavaFileObjects.forSourceString("t.R", """
                package t;
                import dev.bpfglobals.annotations.*;
                @BpfGlobals
                public record R(%s) {}
                """.formatted(components));
    }

    private static Compilation compile(JavaFileObject... files) {
        return com.google.testing.compile.Compiler.javac().withProcessors(new GlobalsProcessor()).compile(files);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "@PerCpu long hits, @PerCpu @Length(4) long[] buckets",
            "@PerCpu long hits, @PerCpu @Length(4) long[] buckets, int limit",
            "int limit, @PerCpu long hits, byte mode, @PerCpu @Length(4) long[] buckets",
            "@Rodata int mtu, @PerCpu long hits, @Bss long seen, @PerCpu @Length(4) long[] buckets, int limit"})
    void theSamePerCpuCallsCompileWithAndWithoutDataComponents(String components) {
        assertThat(compile(record(components), PERCPU_CALLER)).succeededWithoutWarnings();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"int limit", "int limit, @PerCpu long hits", "@PerCpu long hits, int limit, @PerCpu byte b",
            "@Bss long seen, int limit, @Rodata int mtu"})
    void theSameDataCallsCompileWithAndWithoutPerCpuComponents(String components) {
        assertThat(compile(record(components), DATA_CALLER, DATA_VIEW_CALLER)).succeededWithoutWarnings();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"@Bss long seen, @Rodata int mtu", "@Rodata int mtu, int limit, @Bss long seen, @PerCpu long hits",
            "@PerCpu long hits, @Bss long seen, @Rodata int mtu, byte mode, @PerCpu @Length(4) long[] buckets"})
    void theSameBssAndRodataCallsCompileWhateverTheOtherSectionsHold(String components) {
        assertThat(compile(record(components), BSS_RODATA_CALLER)).succeededWithoutWarnings();
    }

    @Test
    void theRodataViewHasNoSetters() {
        JavaFileObject writer = JavaFileObjects.forSourceString("t.RodataWriter", """
                package t;
                final class RodataWriter {
                    static void use(dev.bpfglobals.runtime.LoadedObject loaded) {
                        RGlobals.bindRodata(loaded).mtu(9000);
                    }
                }
                """);

        assertThat(compile(record("@Rodata int mtu, int limit"), writer)).hadErrorContaining("mtu");
    }

    @Test
    void aRecordWithoutDataComponentsHasNoDataView() {
        assertThat(compile(record("@PerCpu long hits, @PerCpu @Length(4) long[] buckets"), DATA_VIEW_CALLER))
                .hadErrorContaining("cannot find symbol");
    }
}

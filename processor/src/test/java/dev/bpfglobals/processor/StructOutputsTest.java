package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.MapCodec;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Constructor;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** What the processor writes for a {@code @BpfStruct} record: the header and a codec that round-trips. */
class StructOutputsTest {

    private static final String FLOW = """
            package test;
            import dev.bpfglobals.annotations.*;
            @BpfStruct
            public record FlowKey(@Unsigned int saddr, @Unsigned short dport, byte proto, boolean ingress,
                    @Length(2) @Unsigned short[] vlans, Inner inner) {
                public record Inner(long id, Kind kind) {}
                public enum Kind { TCP, UDP }
            }
            """;

    private static Compilation compile() {
        Compilation compilation = StructDiagnosticsTest.compile(JavaFileObjects.forSourceString("test.FlowKey", FLOW));
        assertThat(compilation).succeeded();
        return compilation;
    }

    private static String header(Compilation compilation) throws IOException {
        return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/bpf-globals/test.FlowKey.h")
                .orElseThrow().getCharContent(true).toString();
    }

    @Test
    void headerDeclaresTheStructInClangsLayoutWithAssertions() throws IOException {
        String header = header(compile());
        assertThat(header).contains("struct flow_key {\n\t__u32 saddr;\n\t__u16 dport;\n\t__s8 proto;\n\t_Bool ingress;\n"
                + "\t__u16 vlans[2];\n\tstruct flow_key_inner inner;\n};");
        assertThat(header).contains("struct flow_key_inner {\n\t__s64 id;\n\tenum flow_key_kind kind;\n};");
        assertThat(header).contains("FLOW_KEY_KIND_UDP = 1,");
        assertThat(header).contains("_Static_assert(sizeof(struct flow_key) == 32");
        assertThat(header).contains("_Static_assert(__builtin_offsetof(struct flow_key, inner) == 16");
        assertThat(header).contains("#ifndef __VMLINUX_H__\n#include <linux/types.h>\n#endif");
        assertThat(header.indexOf("struct flow_key_inner {")).isLessThan(header.indexOf("struct flow_key {"));
    }

    @Test
    void codecStatesSizeOffsetsLayoutAndCType() throws Exception {
        Class<?> codec = new CompiledClasses(compile()).load("test.FlowKeyCodec");
        assertThat(codec.getField("SIZE").getLong(null)).isEqualTo(32);
        assertThat(codec.getField("ALIGNMENT").getLong(null)).isEqualTo(8);
        assertThat(codec.getField("DPORT_OFFSET").getLong(null)).isEqualTo(4);
        assertThat(codec.getField("VLANS_OFFSET").getLong(null)).isEqualTo(8);
        assertThat(codec.getField("INNER_OFFSET").getLong(null)).isEqualTo(16);
        StructLayout layout = (StructLayout) codec.getField("LAYOUT").get(null);
        assertThat(layout.byteSize()).isEqualTo(32);
        assertThat(layout.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("inner"))).isEqualTo(16);
        ValueType.Struct type = (ValueType.Struct) codec.getField("C_TYPE").get(null);
        assertThat(type.cName()).isEqualTo("struct flow_key");
        assertThat(type.fields()).extracting(ValueType.Field::name)
                .containsExactly("saddr", "dport", "proto", "ingress", "vlans", "inner");
        assertThat(type.fields().get(5).offset()).isEqualTo(16);
        assertThat(type.size()).isEqualTo(32);
    }

    @Test
    @SuppressWarnings("unchecked")
    void codecWritesEachMemberAtItsOffsetZeroesPaddingAndReadsItBack() throws Exception {
        CompiledClasses classes = new CompiledClasses(compile());
        MapCodec<Object> codec = (MapCodec<Object>) classes.load("test.FlowKeyCodec").getField("INSTANCE").get(null);
        Class<?> inner = classes.load("test.FlowKey$Inner");
        Class<?> kind = classes.load("test.FlowKey$Kind");
        Object udp = kind.getEnumConstants()[1];
        Object innerValue = inner.getDeclaredConstructor(long.class, kind).newInstance(0x1122334455667788L, udp);
        Constructor<?> flowKey = classes.load("test.FlowKey").getDeclaredConstructors()[0];
        Object key = flowKey.newInstance(0xC0A80001, (short) 443, (byte) 6, true, new short[] {10, 20}, innerValue);

        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) 0x5A);
        codec.encode(key, MemorySegment.ofArray(bytes));
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(buffer.getInt(0)).isEqualTo(0xC0A80001);
        assertThat(buffer.getShort(4)).isEqualTo((short) 443);
        assertThat(buffer.get(6)).isEqualTo((byte) 6);
        assertThat(buffer.get(7)).isEqualTo((byte) 1);
        assertThat(buffer.getShort(8)).isEqualTo((short) 10);
        assertThat(buffer.getShort(10)).isEqualTo((short) 20);
        assertThat(buffer.getInt(12)).as("padding before inner").isZero();
        assertThat(buffer.getLong(16)).isEqualTo(0x1122334455667788L);
        assertThat(buffer.getInt(24)).isEqualTo(1);
        assertThat(buffer.getInt(28)).as("tail padding").isZero();

        Object decoded = codec.decode(MemorySegment.ofArray(bytes));
        Class<?> type = decoded.getClass();
        assertThat(type.getMethod("saddr").invoke(decoded)).isEqualTo(0xC0A80001);
        assertThat(type.getMethod("dport").invoke(decoded)).isEqualTo((short) 443);
        assertThat(type.getMethod("proto").invoke(decoded)).isEqualTo((byte) 6);
        assertThat(type.getMethod("ingress").invoke(decoded)).isEqualTo(true);
        assertThat((short[]) decoded.getClass().getMethod("vlans").invoke(decoded)).containsExactly(10, 20);
        assertThat(decoded.getClass().getMethod("inner").invoke(decoded)).isEqualTo(innerValue);
        assertThat(codec.toBytes(key)).isEqualTo(bytes);
        assertThat(codec.size()).isEqualTo(32);
        assertThat(codec.javaType().getName()).isEqualTo("test.FlowKey");
    }

    @Test
    @SuppressWarnings("unchecked")
    void decodingAnOrdinalTheEnumLacksNamesTheMember() throws Exception {
        CompiledClasses classes = new CompiledClasses(compile());
        MapCodec<Object> codec = (MapCodec<Object>) classes.load("test.FlowKeyCodec").getField("INSTANCE").get(null);
        MemorySegment bytes = MemorySegment.ofArray(new byte[32]);
        bytes.set(ValueLayout.JAVA_INT_UNALIGNED, 24, 7);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(IllegalStateException.class).hasMessageContaining("kind holds 7");
    }

    /** The classes a compilation produced, in one class loader. */
    private static final class CompiledClasses {
        private final ClassLoader loader;

        CompiledClasses(Compilation compilation) {
            java.util.Map<String, byte[]> classes = new java.util.HashMap<>();
            for (var file : compilation.generatedFiles()) {
                if (file.getKind() != javax.tools.JavaFileObject.Kind.CLASS) {
                    continue;
                }
                String path = file.toUri().getPath();
                String binary = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - 6)
                        .replace('/', '.');
                try (var in = file.openInputStream()) {
                    classes.put(binary, in.readAllBytes());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            loader = new ClassLoader(StructOutputsTest.class.getClassLoader()) {
                @Override
                protected Class<?> findClass(String n) throws ClassNotFoundException {
                    byte[] bytes = classes.get(n);
                    if (bytes == null) {
                        throw new ClassNotFoundException(n);
                    }
                    return defineClass(n, bytes, 0, bytes.length);
                }
            };
        }

        Class<?> load(String name) throws ClassNotFoundException {
            return Class.forName(name, true, loader);
        }
    }
}

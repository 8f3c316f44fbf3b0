package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.testing.Bpftool;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * C unions in a skeleton (src/test/bpf/unions.bpf.c): a union global and a struct holding an anonymous
 * union, written by a BPF program and read through every member, checked against the maps' raw bytes
 * and against what bpftool (libbpf's BTF dumper) prints for each member.
 */
class UnionSkeletonTest {

    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        skeletons = GeneratedSkeletons.build("unions", BpfObjects.compile("unions"));
    }

    @Test
    void aUnionIsARecordOfItsBytesWithAMethodAndAFactoryPerMember() throws Exception {
        Class<?> addr = skeletons.type("unions.Unions$Addr");
        assertThat(addr.getRecordComponents()).extracting(c -> c.getName()).containsExactly("bytes");
        for (String member : new String[] {"v4", "v6", "tagged", "ofV4", "ofV6", "ofTagged"}) {
            assertThat(addr.getMethods()).extracting(m -> m.getName()).contains(member);
        }
        // the anonymous union is named by its place, as an anonymous struct is
        assertThat(skeletons.type("unions.Unions$Event").getRecordComponents()).extracting(c -> c.getName())
                .containsExactly("kind", "anonymous", "tail");
        assertThat(skeletons.type("unions.Unions$EventAnonymous").isRecord()).isTrue();
    }

    @Test
    @RequiresBpf
    void eachMemberReadsWhatTheProgramWrote() throws Exception {
        Map<String, Object> read = skeletons.run("unions.UnionsDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            byte[] v6 = new byte[16];
            for (int i = 0; i < 16; i++) {
                v6[i] = (byte) (0x10 + i);
            }
            assertThat(read.get("addr.v6")).isEqualTo(v6);
            assertThat(read.get("addr.v4")).isEqualTo(0x13121110);
            assertThat(read.get("addr.tagged.port")).isEqualTo((short) 0x1110);
            assertThat(read.get("addr").toString()).contains("16, 17, 18");
            assertThat(bytesOf(read.get("addr"))).isEqualTo(java.util.Arrays.copyOf((byte[]) read.get("raw/.bss"), 16));

            // delta (4 bytes) was written over a zero count: count sees it in its low half, flag in its first byte
            assertThat(read.get("event.union.delta")).isEqualTo(-5);
            assertThat(read.get("event.union.count")).isEqualTo(0xfffffffbL);
            assertThat(read.get("event.union.flag")).isEqualTo((byte) 0xfb);
            assertThat(component(read.get("event"), "kind")).isEqualTo(2);
            assertThat(component(read.get("event"), "tail")).isEqualTo((short) 0xbeef);

            Object slot = read.get("slot");
            Object union = component(slot, "anonymous");
            assertThat(union.getClass().getMethod("count").invoke(union)).isEqualTo(0x1122334455667788L);
            assertThat(union.getClass().getMethod("delta").invoke(union)).isEqualTo(0x55667788);
            assertThat(union.getClass().getMethod("flag").invoke(union)).isEqualTo((byte) 0x88);
            assertThat(bytesOf(union)).isEqualTo(java.util.Arrays.copyOfRange((byte[]) read.get("raw/events/1"), 8, 16));

            // ofMember(value) writes that member and zeroes the rest of the union
            byte[] event0 = (byte[]) read.get("raw/events/0 after");
            assertThat(java.util.Arrays.copyOfRange(event0, 0, 24)).isEqualTo(new byte[] {9, 0, 0, 0, 0, 0, 0, 0,
                -2, -1, -1, -1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0});
            byte[] bss = (byte[]) read.get("raw/.bss after");
            assertThat(java.util.Arrays.copyOf(bss, 16)).isEqualTo(new byte[] {(byte) 0xd0, (byte) 0xc0, (byte) 0xb0, (byte) 0xa0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        }
    }

    @Test
    @RequiresBpf
    void eachMemberReadsWhatBpftoolPrintsForIt() throws Exception {
        Map<String, Object> read = skeletons.run("unions.UnionsDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            // libbpf's BTF dumper prints every member of a union; the anonymous one under the empty name
            for (Map<String, Object> entry : Bpftool.dump((Integer) read.get("id/events"))) {
                Map<?, ?> formatted = (Map<?, ?>) entry.get("formatted");
                Object ours = read.get(formatted.get("key").toString().equals("0") ? "slot0 after" : "slot");
                Map<?, ?> union = (Map<?, ?>) ((Map<?, ?>) formatted.get("value")).get("");
                Object anonymous = component(ours, "anonymous");
                assertThat(union.get("count").toString()).isEqualTo(Long.toUnsignedString((Long) component(anonymous, "count")));
                assertThat(union.get("delta").toString()).isEqualTo(component(anonymous, "delta").toString());
                assertThat(union.get("flag").toString()).isEqualTo(Integer.toString(Byte.toUnsignedInt((Byte) component(anonymous, "flag"))));
            }
            Map<?, ?> lastAddr = (Map<?, ?>) Bpftool.sectionVariables((Integer) read.get("id/.bss"), ".bss").get("last_addr");
            Object addr = read.get("addr after");
            assertThat(lastAddr.get("v4").toString()).isEqualTo(Integer.toUnsignedString((Integer) component(addr, "v4")));
            Object tagged = component(addr, "tagged");
            assertThat(((Map<?, ?>) lastAddr.get("tagged")).get("family").toString())
                    .isEqualTo(Integer.toString(Short.toUnsignedInt((Short) component(tagged, "family"))));
            byte[] v6 = (byte[]) component(addr, "v6");
            assertThat(((java.util.List<?>) lastAddr.get("v6")).stream().map(Object::toString).toList())
                    .isEqualTo(java.util.stream.IntStream.range(0, 16).mapToObj(i -> Integer.toString(Byte.toUnsignedInt(v6[i]))).toList());
        }
    }

    private static Object component(Object record, String name) throws Exception {
        return record.getClass().getMethod(name).invoke(record);
    }

    private static byte[] bytesOf(Object union) throws Exception {
        return (byte[]) component(union, "bytes");
    }
}

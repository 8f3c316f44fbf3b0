package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How C names become Java names in a skeleton (src/test/bpf/names.bpf.c), checked on the compiled classes. */
class NameMappingTest {

    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        skeletons = GeneratedSkeletons.build("names", BpfObjects.compile("names"));
    }

    private static List<String> components(String type) throws Exception {
        return Arrays.stream(skeletons.type("names.Names$" + type).getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void snakeCaseBecomesCamelCaseAndStructTagsBecomeTypeNames() throws Exception {
        assertThat(components("FlowKey")).containsExactly("srcAddr", "dstPort", "proto");
        assertThat(components("FlowStats")).startsWith("packetCount");
        assertThat(skeletons.type("names.Names$FlowStats$Codec")).isNotNull();
    }

    @Test
    void javaKeywordsGetAnUnderscore() throws Exception {
        assertThat(components("FlowStats")).contains("class_");
        assertThat(components("DataSection")).startsWith("new_");
    }

    @Test
    void namesThatMeetInJavaAreNumbered() throws Exception {
        // max_len and maxLen are both maxLen in Java: the second in offset order is maxLen2
        assertThat(components("DataSection")).containsSubsequence("maxLen", "maxLen2");
    }

    @Test
    void anonymousTypesAreNamedByTheirPlace() throws Exception {
        assertThat(components("AnonPlace")).containsExactly("firstSeen", "portRange");
        assertThat(components("AnonPlacePortRange")).containsExactly("low", "high");
    }

    @Test
    void enumsBecomeRecordsWithTheirConstants() throws Exception {
        Class<?> trafficClass = skeletons.type("names.Names$TrafficClass");
        Object bulk = trafficClass.getField("TC_BULK").get(null);
        assertThat(trafficClass.getMethod("cName").invoke(bulk)).isEqualTo("TC_BULK");
        assertThat(trafficClass.getRecordComponents()[0].getType()).isEqualTo(int.class);
    }

    @Test
    void theClassNameComesFromTheFileName() {
        assertThat(SkeletonGenerator.className("test_global_percpu_data.bpf.o")).isEqualTo("TestGlobalPercpuData");
        assertThat(SkeletonGenerator.className("minimal.o")).isEqualTo("Minimal");
        assertThat(SkeletonGenerator.className("2fast.bpf.o")).isEqualTo("_2fast");
    }

    @Test
    void sectionsMapsAndProgramsGetAccessorsNamedAfterThem() throws Exception {
        Class<?> names = skeletons.type("names.Names");
        assertThat(Arrays.stream(names.getMethods()).map(m -> m.getName()))
                .contains("data", "bss", "rodata", "maps", "programs", "open", "close");
        assertThat(skeletons.type("names.Names$Maps").getMethod("flowTable")).isNotNull();
        assertThat(skeletons.type("names.Names$Programs").getMethod("attachCountFlows")).isNotNull();
        // .rodata is read-only once loaded: its live view has a getter and no setter
        assertThat(Arrays.stream(skeletons.type("names.Names$RodataView").getMethods())
                .filter(m -> m.getName().equals("rateLimit")).map(m -> m.getParameterCount())).containsExactly(0);
        assertThat(Arrays.stream(skeletons.type("names.Names$RodataImage").getMethods())
                .filter(m -> m.getName().equals("rateLimit")).map(m -> m.getParameterCount())).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void theGeneratedSourceRecordsTheLayoutItWasMadeFrom() throws Exception {
        Path object = BpfObjects.compile("names");
        String source = SkeletonGenerator.generate(ObjectSpec.open(object), "names", "Names").toString();
        assertThat(source).contains("\"map flow_table = HASH key struct flow_key {src_addr@0 __u32 (4), dst_port@32 __u16 (2),"
                + " proto@48 __u8 (1)} (8) value struct flow_stats {");
        assertThat(source).contains("@Generated(\"dev.bpfglobals.skeleton.SkeletonGenerator\")");
    }
}

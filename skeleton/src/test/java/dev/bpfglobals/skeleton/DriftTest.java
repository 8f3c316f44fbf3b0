package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.ObjectLayout;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.SkeletonDriftException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A skeleton records the layout of the object it was made from; opening another names the first difference, in one line. */
class DriftTest {

    @Test
    void openingAnObjectWhoseStructChangedNamesTheFirstDifference() throws Exception {
        GeneratedSkeletons skeletons = GeneratedSkeletons.build("drift", BpfObjects.compile("names"));
        Method open = skeletons.type("drift.Names").getMethod("open", ObjectSpec.class);
        ObjectSpec drifted = ObjectSpec.open(BpfObjects.compileVariant("names", "drift", "-DDRIFT"));

        assertThatThrownBy(() -> invoke(open, drifted)).isInstanceOf(SkeletonDriftException.class)
                .hasMessageStartingWith("Names was generated from another object: .bss totals: expected @0 struct flow_stats"
                        + " {packet_count@0 __u64 (8), ")
                .hasMessageContaining(", found @0 struct flow_stats {packet_count@0 __u32 (4), ")
                .hasMessageEndingWith("; regenerate it with bpf-globals gen skeleton")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theSameObjectOpens() throws Throwable {
        GeneratedSkeletons skeletons = GeneratedSkeletons.build("same", BpfObjects.compile("names"));
        Method open = skeletons.type("same.Names").getMethod("open", ObjectSpec.class);
        assertThat(invoke(open, ObjectSpec.open(BpfObjects.compile("names")))).isNotNull();
    }

    @Test
    void aMissingOrNewItemIsNamed() {
        List<String> made = List.of(".data = ARRAY 8 bytes", ".data limit = @0 __u32 (4)", "program run = xdp");
        assertThat(ObjectLayout.firstDifference(made, List.of(".data = ARRAY 8 bytes", "program run = xdp")))
                .isEqualTo(".data limit: missing from the object");
        assertThat(ObjectLayout.firstDifference(made, List.of(".data = ARRAY 8 bytes", ".data limit = @0 __u32 (4)",
                "program run = xdp", "program other = tc"))).isEqualTo("program other: new in the object");
    }

    private static Object invoke(Method method, Object argument) throws Throwable {
        try {
            return method.invoke(null, argument);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

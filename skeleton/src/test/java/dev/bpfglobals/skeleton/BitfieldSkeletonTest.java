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
 * C bitfields in a skeleton (src/test/bpf/bitfields.bpf.c): record components of their declared
 * integer type, read from and written to their bits, checked against what a BPF program wrote and
 * against what bpftool prints for the same bytes.
 */
class BitfieldSkeletonTest {

    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        skeletons = GeneratedSkeletons.build("bitfields", BpfObjects.compile("bitfields"));
    }

    @Test
    @RequiresBpf
    void bitfieldsReadWhatTheProgramWroteAndWriteWhatBpftoolReads() throws Exception {
        Map<String, Object> read = skeletons.run("bitfields.BitfieldsDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            Object flags = read.get("last_flags");
            assertThat(component(flags, "urgent")).isEqualTo(1);
            assertThat(component(flags, "level")).isEqualTo(-3);
            assertThat(component(flags, "code")).isEqualTo(1234);
            assertThat(component(flags, "wide")).isEqualTo(0x123456789aL);
            assertThat(component(flags, "on")).isEqualTo(true);
            assertThat(component(flags, "neg")).isEqualTo(-50L);
            assertThat(component(flags, "tail")).isEqualTo((byte) 0x7f);
            assertThat(read.get("last_mode.mode")).isEqualTo(5);
            Map<String, Object> variables = Bpftool.sectionVariables((Integer) read.get("id/.bss"), ".bss");
            for (String variable : new String[] {"last_flags", "java_flags"}) {
                Map<?, ?> printed = (Map<?, ?>) variables.get(variable);
                Object ours = read.get(variable);
                // bpftool prints a bitfield's bits as unsigned hex: compare ours cut to the field's width
                Map<String, Integer> widths = Map.of("urgent", 1, "level", 4, "code", 11, "wide", 40, "on", 1, "neg", 7, "tail", 8);
                widths.forEach((member, bits) -> assertThat(number(printed.get(member))).as("%s.%s", variable, member)
                        .isEqualTo(number(component(ours, member)) & ((1L << bits) - 1)));
            }
        }
    }

    /** A printed or read member as a number: bpftool prints bitfields in hex, Java holds _Bool as boolean. */
    private static long number(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        String text = value.toString();
        return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
    }

    private static Object component(Object record, String name) {
        try {
            return record.getClass().getMethod(name).invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(name + " is no accessor of " + record.getClass(), e);
        }
    }
}

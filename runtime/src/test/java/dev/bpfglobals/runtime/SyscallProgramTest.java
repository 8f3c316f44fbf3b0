package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A {@code SEC("syscall")} program loads as SYSCALL and runs from Java with
 * {@link BpfProgram#run(byte[])}: it reads its C struct from the context the caller gives, and what it
 * writes there comes back in the same array.
 */
@RequiresBpf
class SyscallProgramTest {

    @Test
    void theSyscallSectionIsASyscallProgram() throws Exception {
        assertThat(ObjectSpec.open(BpfObjects.compile("syscall")).program("compute").orElseThrow().type()).isEqualTo(ProgramType.SYSCALL);
    }

    @Test
    void aRunReadsTheContextAndWritesItsResultsBackIntoIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("syscall"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram compute = loaded.program("compute")) {
            byte[] context = arguments(7, -3);

            int returned = compute.run(context);

            ByteBuffer results = ByteBuffer.wrap(context).order(ByteOrder.nativeOrder());
            assertThat(returned).as("a - b").isEqualTo(10);
            assertThat(results.getLong(16)).as("sum").isEqualTo(4);
            assertThat(results.getLong(24)).as("product").isEqualTo(-21);
            compute.run(arguments(1, 1));
            assertThat(GlobalView.of(object, loaded, ".bss").getLong("runs")).isEqualTo(2);
        }
    }

    @Test
    void aContextShorterThanTheProgramReadsIsRefusedWithTheErrno() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("syscall")));
             BpfProgram compute = loaded.program("compute")) {
            assertThatThrownBy(() -> compute.run(new byte[8])).isInstanceOf(BpfException.class).hasMessageContaining("EINVAL");
        }
    }

    /** {@code struct args} of syscall.bpf.c: a, b, and room for sum and product. */
    private static byte[] arguments(long a, long b) {
        return ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()).putLong(a).putLong(b).array();
    }
}

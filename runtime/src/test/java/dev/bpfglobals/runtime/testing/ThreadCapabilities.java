package dev.bpfglobals.runtime.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Drops a capability from the calling thread's effective set ({@code capget} then {@code capset}
 * on pid 0): capabilities are per thread in Linux, so the rest of the JVM keeps it. For tests that
 * show a refusal to a process without the capability; run them on a thread made for the test
 * (e.g. {@link NetNamespace}), which ends with it.
 */
public final class ThreadCapabilities {

    /** {@code CAP_NET_ADMIN}. */
    public static final int CAP_NET_ADMIN = 12;
    /** {@code CAP_SYS_ADMIN}, which stands in for CAP_BPF and CAP_PERFMON alike. */
    public static final int CAP_SYS_ADMIN = 21;
    /** {@code CAP_PERFMON}: bpf_sys_bpf, and pointers stored into maps. */
    public static final int CAP_PERFMON = 38;
    /** {@code CAP_BPF}. */
    public static final int CAP_BPF = 39;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor CAP_CALL = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS);
    private static final MethodHandle CAPGET = LINKER.downcallHandle(LINKER.defaultLookup().find("capget").orElseThrow(), CAP_CALL);
    private static final MethodHandle CAPSET = LINKER.downcallHandle(LINKER.defaultLookup().find("capset").orElseThrow(), CAP_CALL);

    private ThreadCapabilities() {
    }

    /** Clears {@code capability} (below 64) from this thread's effective set; it stays permitted. */
    public static void dropEffective(int capability) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4); // struct __user_cap_header_struct: version, pid (0: this thread)
            header.set(ValueLayout.JAVA_INT, 0, VERSION_3);
            MemorySegment data = arena.allocate(24, 4); // struct __user_cap_data_struct[2]: effective, permitted, inheritable
            if ((int) CAPGET.invokeExact(header, data) != 0) {
                throw new AssertionError("capget failed");
            }
            // Capabilities 32 and up live in the second struct's effective word, 12 bytes on.
            long effective = (capability / 32) * 12L;
            data.set(ValueLayout.JAVA_INT, effective, data.get(ValueLayout.JAVA_INT, effective) & ~(1 << (capability % 32)));
            if ((int) CAPSET.invokeExact(header, data) != 0) {
                throw new AssertionError("capset failed");
            }
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of capget/capset failed", t);
        }
    }
}

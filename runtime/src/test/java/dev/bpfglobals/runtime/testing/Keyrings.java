package dev.bpfglobals.runtime.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The kernel's key retention service, through {@code syscall(2)} (glibc wraps neither add_key nor
 * keyctl): a keyring of the test's own, linked into the process keyring so that this process
 * possesses it, and an X.509 certificate added to it as an {@code asymmetric} key, as
 * {@code keyctl padd asymmetric "" KEYRING < cert.der} does.
 */
public final class Keyrings {

    private static final long SYS_ADD_KEY = 248;
    private static final long SYS_KEYCTL = 250;
    private static final long KEY_SPEC_PROCESS_KEYRING = -2;
    private static final long KEYCTL_INVALIDATE = 21;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private Keyrings() {
    }

    /** A new empty keyring named {@code name}, in the process keyring; its serial is a {@code keyring_id}. */
    public static int newKeyring(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(arena, SYS_ADD_KEY, arena.allocateFrom("keyring"), arena.allocateFrom(name), MemorySegment.NULL, 0,
                    KEY_SPEC_PROCESS_KEYRING, "add_key(keyring " + name + ")");
        }
    }

    /** Adds the DER X.509 certificate {@code der} to {@code keyring} as an asymmetric key; {@return its serial} */
    public static int addCertificate(int keyring, byte[] der) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(arena, SYS_ADD_KEY, arena.allocateFrom("asymmetric"), arena.allocateFrom(""),
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, der), der.length, keyring, "add_key(asymmetric)");
        }
    }

    /** Invalidates {@code key} (a keyring too): the kernel unlinks and destroys it. */
    public static void invalidate(int key) {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, SYS_KEYCTL, MemorySegment.ofAddress(KEYCTL_INVALIDATE), MemorySegment.ofAddress(key), MemorySegment.NULL, 0, 0,
                    "keyctl(KEYCTL_INVALIDATE)");
        }
    }

    private static long call(Arena arena, long number, MemorySegment a, MemorySegment b, MemorySegment c, long d, long e, String what) {
        MemorySegment errno = arena.allocate(CAPTURED);
        try {
            long result = (long) SYSCALL.invokeExact(errno, number, a, b, c, d, e);
            if (result < 0) {
                int code = errno.get(ValueLayout.JAVA_INT, CAPTURED.byteOffset(MemoryLayout.PathElement.groupElement("errno")));
                throw new IllegalStateException(what + " failed with errno " + code);
            }
            return result;
        } catch (RuntimeException failed) {
            throw failed;
        } catch (Throwable t) {
            throw new IllegalStateException(what + " could not be called", t);
        }
    }
}

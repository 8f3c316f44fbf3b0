package dev.bpfglobals.runtime.testing;

import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.internal.kernelenv.NetlinkMessage;
import dev.bpfglobals.runtime.internal.kernelenv.NetlinkSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's body in a network namespace of its own, on a thread made for it: the thread
 * unshares {@code CLONE_NEWNET} (network namespaces are per thread), brings that namespace's
 * {@code lo} up over rtnetlink and runs the body, whose sockets, interfaces and tc filters are all
 * that namespace's. Its traffic never leaves it, tests running at once cannot collide on {@code lo}'s
 * tc hooks, and whatever the body leaves behind goes with the namespace when the thread ends.
 */
public final class NetNamespace {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int RTM_NEWLINK = 16;
    private static final int IFF_UP = 1;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle UNSHARE = LINKER.downcallHandle(LINKER.defaultLookup().find("unshare").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));

    private NetNamespace() {
    }

    /** Runs {@code body} in a fresh network namespace with {@code lo} up, within 60 s; its result, or its exception. */
    public static <T> T call(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            unshareNetwork();
            bringLoopbackUp();
            return body.call();
        });
        Thread thread = new Thread(task, "test in its own network namespace");
        thread.start();
        try {
            return task.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        } finally {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** As {@link #call}, for a body that returns nothing. */
    public static void run(ThrowingRunnable body) throws Exception {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** A test body. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /** Runs the body. */
        void run() throws Exception;
    }

    private static void unshareNetwork() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
            int result;
            try {
                result = (int) UNSHARE.invokeExact(errno, CLONE_NEWNET);
            } catch (Throwable t) {
                throw new IllegalStateException("FFM call of unshare failed", t);
            }
            if (result != 0) {
                throw new AssertionError("unshare(CLONE_NEWNET) failed with errno " + (int) ERRNO.get(errno, 0L));
            }
        }
    }

    /** {@code ip link set lo up}, as an RTM_NEWLINK request. */
    private static void bringLoopbackUp() {
        int lo = Native.ifNameToIndex("lo");
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            NetlinkSocket.Ack ack = socket.acknowledge(new NetlinkMessage(RTM_NEWLINK, 0).ifinfomsg(lo, IFF_UP, IFF_UP), "lo up");
            if (!ack.ok()) {
                throw new AssertionError("bringing lo up in the new network namespace failed with " + ack.describe());
            }
        }
    }
}

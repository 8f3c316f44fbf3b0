package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.kernel.LinkInfo;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import dev.bpfglobals.runtime.testing.Tracefs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pinned BPF link keeps its program attached after every descriptor this process had is closed
 * (the object, the program, the link): the tracepoint program goes on counting real getpid calls
 * until the pin is removed or the link detached.
 */
@RequiresBpf
class LinkPinningTest {

    private final Path pin = BpfPins.path("link-pinning");

    @BeforeAll
    static void tracefs() throws Exception {
        Tracefs.ensureMounted();
    }

    @AfterEach
    void removePin() throws IOException {
        Files.deleteIfExists(pin);
    }

    @Test
    void aPinnedLinkKeepsCountingAfterEverythingElseClosedUntilItIsUnpinned() throws Exception {
        try (BpfMap bss = attachPinnedAndCloseAll()) {
            GlobalView counts = view(bss);
            Syscalls.getpid();
            Syscalls.getpid();
            assertThat(counts.getLong("enters")).as("counted by the pinned link alone").isEqualTo(3);

            Link.unpin(pin);
            assertThat(pin).doesNotExist();
            awaitNoMoreCounts(counts, "enters");
            long stopped = counts.getLong("enters");
            Syscalls.getpid();
            assertThat(counts.getLong("enters")).as("no count once the last holder is gone").isEqualTo(stopped);
        }
    }

    @Test
    void aPinnedLinkOpensAgainWithItsInfoAndAPerfEventLinkIsNotDetachedButUnpinned() throws Exception {
        try (BpfMap bss = attachPinnedAndCloseAll();
             Link opened = Link.openPinned(pin)) {
            LinkInfo info = opened.info();
            assertThat(info.typeName()).isEqualTo("perf_event");
            assertThat(info.id()).isPositive();
            assertThatThrownBy(opened::detach).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot detach a perf_event link while it is held (EOPNOTSUPP)")
                    .hasMessageContaining("Link.unpin");
        }
    }

    @Test
    void aPinnedXdpLinkCountsDatagramsAfterEverythingClosedUntilDetachedWhileThePinStays() throws Exception {
        NetNamespace.run(() -> {
            ObjectSpec object = ObjectSpec.open(BpfObjects.compile("net"));
            BpfMap bss;
            int port;
            try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 DatagramSocket sender = new DatagramSocket()) {
                port = receiver.getLocalPort();
                try (LoadedObject loaded = LoadedObject.load(object);
                     BpfProgram program = loaded.program("count_xdp");
                     Link link = program.attachXdp("lo", XdpMode.GENERIC)) {
                    bss = loaded.map(".bss");
                    GlobalView.of(object, loaded, ".bss").setInt("target_port", port);
                    link.pin(pin);
                }
                GlobalView counts = new GlobalView(bss.mmap(Arena.ofAuto()), object.globalSection(".bss").orElseThrow());
                Loopback.sendAndReceive(sender, receiver, 4);
                assertThat(counts.getLong("xdp_datagrams")).as("counted by the pinned link alone").isEqualTo(4);

                Link.openPinned(pin).detach();
                Loopback.sendAndReceive(sender, receiver, 2);
                assertThat(counts.getLong("xdp_datagrams")).as("detached, though still pinned").isEqualTo(4);
                assertThat(pin).exists();
                try (Link again = Link.openPinned(pin)) {
                    assertThat(again.info().typeName()).isEqualTo("xdp");
                }
                assertThat(XdpAttach.attachedProgramId("lo")).isEmpty();
            } finally {
                Files.deleteIfExists(pin);
            }
        });
    }

    @Test
    void somethingOtherThanALinkPinnedThereIsRefusedByKind() {
        try (BpfMap map = BpfMap.create(dev.bpfglobals.contract.MapType.ARRAY, 4, 8, 1, false, "not_a_link")) {
            map.pin(pin);
            assertThatThrownBy(() -> Link.openPinned(pin)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a pinned map, not a link");
            assertThatThrownBy(() -> Link.unpin(pin)).hasMessageContaining("not a link");
            assertThat(pin).exists();
        }
    }

    /**
     * Loads tracepoint.bpf.c, counts this process's getpid calls through a link pinned at
     * {@link #pin}, makes one call, then closes the object, program and link: what the process
     * would leave behind on exit. Returns a duplicate of .bss to read the counts from.
     */
    private BpfMap attachPinnedAndCloseAll() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracepoint"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram enter = loaded.program("on_enter")) {
            BpfMap bss = loaded.map(".bss");
            GlobalView.of(object, loaded, ".bss").setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = enter.attachTracepoint("syscalls", "sys_enter_getpid")) {
                link.pin(pin);
                Syscalls.getpid();
            }
            return bss;
        }
    }

    /**
     * Waits (at most 5 s) until a getpid call no longer counts: the kernel frees an unpinned link
     * in a work item after its last hold goes, a moment after the pin is removed.
     */
    private static void awaitNoMoreCounts(GlobalView counts, String variable) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(5)) {
            long before = counts.getLong(variable);
            Syscalls.getpid();
            if (counts.getLong(variable) == before) {
                return;
            }
        }
        throw new AssertionError(variable + " still counts 5 s after the link's pin was removed");
    }

    private static GlobalView view(BpfMap bss) throws Exception {
        return new GlobalView(bss.mmap(Arena.ofAuto()),
                ObjectSpec.open(BpfObjects.compile("tracepoint")).globalSection(".bss").orElseThrow());
    }
}

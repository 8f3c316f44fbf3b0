package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.NetNamespace;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TCP congestion-control algorithm written in BPF ({@code struct_ops_ca.bpf.c}, a
 * {@code struct tcp_congestion_ops} of struct_ops programs, as mainline's tcp_ca selftests build
 * one), registered with the kernel both ways libbpf registers it: a {@code .struct_ops} map by its
 * value, a {@code .struct_ops.link} map through a BPF link. A network namespace of the test's own
 * makes it its default (the per-namespace {@code net.ipv4.tcp_congestion_control}), a real TCP
 * connection over its loopback carries data, and the callbacks count what the kernel called.
 * Which legs register which way is what {@link KernelExpectations} states, never what the library finds.
 */
@RequiresBpf
class StructOpsAttachTest {

    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    /** Per network namespace: read and written from the namespace's own thread. */
    private static final Path DEFAULT = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    private static final int BYTES = 4 << 20;

    @Test
    void aDotStructOpsAlgorithmCarriesARealConnectionAndIsGoneOnceUnregistered() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("struct_ops_ca"));
        if (!KernelExpectations.has(Feature.STRUCT_OPS)) {
            assertThatThrownBy(() -> {
                try (LoadedObject loaded = LoadedObject.load(object); Link link = loaded.attach("bg_ca")) {
                    throw new AssertionError("registered " + link);
                }
            }).hasMessageContaining("struct_ops");
            return;
        }
        NetNamespace.run(() -> {
            try (LoadedObject loaded = LoadedObject.load(object)) {
                GlobalView bss = GlobalView.of(object, loaded, ".bss");
                try (Link registration = loaded.attach("bg_ca")) {
                    assertThat(available()).contains("bgca_plain");
                    sendThroughAlgorithm("bgca_plain");
                    assertThat(bss.getLong("init_calls")).as("init, once per socket that takes the algorithm")
                            .isGreaterThanOrEqualTo(2);
                    assertThat(bss.getLong("cong_avoid_calls")).as("cong_avoid, as acks grow the window").isPositive();
                    assertThatThrownBy(registration::info).as("a map registered by its value holds no BPF link")
                            .isInstanceOf(IllegalArgumentException.class);
                    try (BpfMap map = loaded.map("bg_ca")) {
                        assertThatThrownBy(() -> StructOpsAttach.update(registration, map.fd()))
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessage("struct_ops map 'bg_ca' is not held by a BPF link and cannot take another struct_ops "
                                        + "map; only the link of a .struct_ops.link map can");
                    }
                }
                assertThat(available()).as("closing the registration deleted key 0").doesNotContain("bgca_plain");
            }
        });
    }

    @Test
    void aDotStructOpsLinkAlgorithmIsALinkThatStaysWhilePinnedAndTakesAnotherMapByUpdate() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("struct_ops_ca", "link", "-DLINK"));
        if (!KernelExpectations.has(Feature.STRUCT_OPS_LINK)) {
            assertThatThrownBy(() -> LoadedObject.load(object).close()).hasMessageContaining("struct_ops.link");
            return;
        }
        Path pin = BpfPins.path("struct-ops-link");
        NetNamespace.run(() -> {
            try (LoadedObject first = LoadedObject.load(object); LoadedObject second = LoadedObject.load(object)) {
                GlobalView firstCounts = GlobalView.of(object, first, ".bss");
                GlobalView secondCounts = GlobalView.of(object, second, ".bss");
                try (Link link = first.attach("bg_ca")) {
                    assertThat(link.info().typeName()).isEqualTo("struct_ops");
                    sendThroughAlgorithm("bgca_link");
                    long firstInits = firstCounts.getLong("init_calls");
                    assertThat(firstInits).isGreaterThanOrEqualTo(2);
                    assertThat(firstCounts.getLong("cong_avoid_calls")).isPositive();

                    try (BpfMap replacement = second.map("bg_ca")) {
                        StructOpsAttach.update(link, replacement.fd());
                    }
                    sendThroughAlgorithm("bgca_link");
                    assertThat(secondCounts.getLong("init_calls")).as("new sockets run the map the link took").isGreaterThanOrEqualTo(2);
                    assertThat(firstCounts.getLong("init_calls")).as("and not the one it gave up").isEqualTo(firstInits);
                    link.pin(pin);
                }
                assertThat(available()).as("the pin keeps the link, and so the registration").contains("bgca_link");
                Link.unpin(pin);
                // The kernel lets go of an unpinned link from a work queue, not within the unlink.
                assertThat(availableOnceSettled("bgca_link")).as("unpinned and closed, the link unregisters")
                        .doesNotContain("bgca_link");
            } finally {
                Files.deleteIfExists(pin);
            }
        });
    }

    /**
     * Makes {@code algorithm} this namespace's default, sends {@link #BYTES} over a loopback TCP
     * connection (which takes the default when it is made) and reads them all at the other end,
     * then restores reno, so that the namespace holds no reference to the algorithm any more.
     */
    private static void sendThroughAlgorithm(String algorithm) throws Exception {
        Files.writeString(DEFAULT, algorithm);
        assertThat(Files.readString(DEFAULT).strip()).isEqualTo(algorithm);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drain(accepted));
            try (OutputStream out = client.getOutputStream()) {
                byte[] chunk = new byte[64 << 10];
                for (int sent = 0; sent < BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(BYTES);
        } finally {
            Files.writeString(DEFAULT, "reno");
        }
    }

    private static long drain(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The available algorithms once {@code leaving} has left them, or after 10 s. */
    private static List<String> availableOnceSettled(String leaving) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (available().contains(leaving) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return available();
    }

    private static List<String> available() throws IOException {
        return List.of(Files.readString(AVAILABLE).strip().split(" "));
    }
}

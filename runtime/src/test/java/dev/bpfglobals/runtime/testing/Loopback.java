package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure {@code lo} is up, as root's shell would: {@code ip link set lo up}. A machine always
 * has it up; this project's VM guests boot with it down. And sends the datagrams the network
 * attach tests count there.
 */
public final class Loopback {

    private Loopback() {
    }

    /** Brings {@code lo} up unless it is (IFF_UP in /sys/class/net/lo/flags). */
    public static synchronized void ensureUp() throws IOException, InterruptedException {
        if (isUp()) {
            return;
        }
        Process ip = new ProcessBuilder("ip", "link", "set", "lo", "up").inheritIO().start();
        if (ip.waitFor() != 0 || !isUp()) {
            throw new AssertionError("lo is down and ip link set lo up failed");
        }
    }

    private static boolean isUp() throws IOException {
        String flags = Files.readString(Path.of("/sys/class/net/lo/flags")).strip();
        return (Long.decode(flags) & 1) != 0;
    }

    /** Sends {@code count} datagrams from {@code sender} to {@code receiver} and waits (5 s at most each) until all arrived. */
    public static void sendAndReceive(DatagramSocket sender, DatagramSocket receiver, int count) throws IOException {
        receiver.setSoTimeout(5000);
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            sender.send(new DatagramPacket(payload, payload.length, receiver.getLocalSocketAddress()));
        }
        for (int i = 0; i < count; i++) {
            receiver.receive(new DatagramPacket(new byte[64], 64));
        }
    }
}

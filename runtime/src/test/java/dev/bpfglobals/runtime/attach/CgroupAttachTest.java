package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.Cgroups;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.Loopback;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cgroup_skb/ingress, cgroup_skb/egress and cgroup/sock_create programs attach to a cgroup v2
 * directory the test makes and count the traffic of a child process that moves itself into it and
 * opens one TCP connection to this JVM; closing the links stops the counting. The JVM itself
 * never changes cgroup: only the child (a bash that writes its own pid to cgroup.procs) does.
 */
@RequiresBpf
class CgroupAttachTest {

    private Path cgroup;

    @BeforeEach
    void makeCgroup() throws IOException, InterruptedException {
        Loopback.ensureUp();
        cgroup = Files.createDirectory(Cgroups.mount().resolve("bpfglobals-test-" + ProcessHandle.current().pid()));
    }

    @AfterEach
    void removeCgroup() throws IOException {
        Files.deleteIfExists(cgroup); // the child has exited, so the cgroup is empty
    }

    @Test
    void cgroupSectionsAreCgroupPrograms() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cgroup"));

        assertThat(object.programs()).extracting(ProgramSpec::type)
                .containsExactly(ProgramType.CGROUP_SKB, ProgramType.CGROUP_SKB, ProgramType.CGROUP_SOCK);
    }

    @Test
    void ingressEgressAndSockCreateCountAChildsConnectionInTheCgroupUntilTheirLinksClose() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("cgroup"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram ingress = loaded.program("count_ingress");
             BpfProgram egress = loaded.program("count_egress");
             BpfProgram sockCreate = loaded.program("count_sock_create");
             ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (Link in = ingress.attachCgroup(cgroup, CgroupHook.INET_INGRESS);
                 Link out = egress.attachCgroup(cgroup, CgroupHook.INET_EGRESS);
                 Link created = sockCreate.attachCgroup(cgroup, CgroupHook.INET_SOCK_CREATE)) {
                connectFromChildInCgroup(server.getLocalPort());
                assertThat(bss.getLong("sockets_created")).as("bash opens one socket").isEqualTo(1);
                assertThat(bss.getLong("egress_packets")).as("at least SYN and the data").isGreaterThanOrEqualTo(2);
                assertThat(bss.getLong("ingress_packets")).as("at least SYN-ACK").isGreaterThanOrEqualTo(1);
            }
            long in = bss.getLong("ingress_packets");
            long out = bss.getLong("egress_packets");
            connectFromChildInCgroup(server.getLocalPort());
            assertThat(bss.getLong("sockets_created")).as("no count after the links closed").isEqualTo(1);
            assertThat(bss.getLong("egress_packets")).isEqualTo(out);
            assertThat(bss.getLong("ingress_packets")).isEqualTo(in);
        }
    }

    @Test
    void aDirectoryThatIsNotACgroupIsRefusedNamingCgroupV2() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("cgroup")));
             BpfProgram ingress = loaded.program("count_ingress")) {
            assertThatThrownBy(() -> ingress.attachCgroup(Path.of("/tmp"), CgroupHook.INET_INGRESS))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("BPF_LINK_CREATE failed with EBADF (cgroup /tmp at INET_INGRESS)")
                    .hasMessageContaining("not a cgroup v2 directory");
        }
    }

    @Test
    void aSockCreateProgramIsRefusedAtAPacketHookNamingTheMismatch() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("cgroup")));
             BpfProgram sockCreate = loaded.program("count_sock_create")) {
            assertThatThrownBy(() -> sockCreate.attachCgroup(cgroup, CgroupHook.INET_INGRESS).close())
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("EINVAL")
                    .hasMessageContaining("does not match INET_INGRESS");
        }
    }

    /** A bash that moves itself into the test cgroup, connects to {@code port}, writes a line and exits. */
    private void connectFromChildInCgroup(int port) throws IOException, InterruptedException {
        Process child = new ProcessBuilder("bash", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                + " && exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo hi >&3").redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
    }
}

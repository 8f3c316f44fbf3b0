package dev.bpfglobals.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.ThreadCapabilities;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The running kernel's BTF is read from its vmlinux BTF object (one copy) where the process may open
 * BTF objects by id, and from {@code /sys/kernel/btf/vmlinux} where it may not: both must be the same
 * bytes, or CO-RE would resolve against something other than what libbpf reads.
 */
@RequiresBpf
class VmlinuxBtfObjectTest {

    @Test
    void theVmlinuxBtfObjectHoldsTheFilesBytes() throws Exception {
        Optional<byte[]> held = BtfObjects.vmlinux();

        assertThat(held).as("root may open BTF objects by id").isPresent();
        assertThat(held.get()).isEqualTo(Files.readAllBytes(KernelBtf.VMLINUX));
    }

    @Test
    void withoutCapSysAdminTheObjectIsNotOpenedAndTheFileIsRead() throws Exception {
        AtomicReference<Optional<byte[]>> held = new AtomicReference<>();
        // Capabilities are per thread: this one drops CAP_SYS_ADMIN, which BPF_BTF_GET_NEXT_ID and _FD_BY_ID need.
        Thread thread = Thread.ofPlatform().start(() -> {
            ThreadCapabilities.dropEffective(ThreadCapabilities.CAP_SYS_ADMIN);
            held.set(BtfObjects.vmlinux());
        });
        thread.join();

        assertThat(held.get()).isEmpty();
        assertThat(KernelBtf.read(KernelBtf.VMLINUX).candidates("task_struct")).isNotEmpty();
    }
}

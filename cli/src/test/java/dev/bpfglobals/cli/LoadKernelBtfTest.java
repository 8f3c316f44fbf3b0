package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfKind;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load --kernel-btf FILE}: CO-RE relocations resolved against a kernel BTF file instead of
 * the running kernel's, seen through what the loaded program computes ({@code core_offset.bpf.c}).
 */
@RequiresBpf
class LoadKernelBtfTest extends PinningCliTest {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @Override
    protected String pinName() {
        return "cli-kernel-btf";
    }

    @Test
    void theOffsetsOfTheGivenBtfFileAreTheOnesTheProgramSees(@TempDir Path dir) throws Exception {
        Btf kernel = BtfReader.read(Files.readAllBytes(VMLINUX));
        int taskId = kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow();
        BtfType.Struct task = kernel.type(taskId, BtfType.Struct.class);
        // pid and tgid trade names: no running kernel has this BTF, so the offset can only come from the file.
        List<BtfType.Member> members = new ArrayList<>();
        int realPid = -1;
        int swappedPid = -1;
        for (BtfType.Member m : task.members()) {
            String name = m.name().equals("pid") ? "tgid" : m.name().equals("tgid") ? "pid" : m.name();
            members.add(new BtfType.Member(name, m.type(), m.bitOffset(), m.bitfieldSize()));
            realPid = m.name().equals("pid") ? m.bitOffset() / 8 : realPid;
            swappedPid = name.equals("pid") ? m.bitOffset() / 8 : swappedPid;
        }
        Path swapped = dir.resolve("swapped.btf");
        Files.write(swapped, BtfWriter.write(kernel.withType(taskId, new BtfType.Struct(task.name(), task.size(), members))));

        assertThat(run("load", object().toString(), "--pin", pins.toString(), "--kernel-btf", swapped.toString()))
                .as(err.toString()).isZero();
        assertThat(run("run", pins.resolve("progs/record_pid_offset").toString(), "--cpu", "0")).as(err.toString()).isZero();
        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString(), "--json")).as(err.toString()).isZero();

        assertThat(swappedPid).isNotEqualTo(realPid);
        assertThat(out.toString().strip()).endsWith("\"variables\": {\"pid_offset\": " + swappedPid + "}}");
    }

    @Test
    void withoutTheOptionTheRunningKernelsOffsetIsSeen() throws Exception {
        Btf kernel = BtfReader.read(Files.readAllBytes(VMLINUX));
        BtfType.Struct task = kernel.type(kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow(), BtfType.Struct.class);
        int pid = task.members().stream().filter(m -> m.name().equals("pid")).findFirst().orElseThrow().bitOffset() / 8;

        assertThat(run("load", object().toString(), "--pin", pins.toString())).as(err.toString()).isZero();
        assertThat(run("run", pins.resolve("progs/record_pid_offset").toString(), "--cpu", "0")).isZero();
        assertThat(run("dump", "--pinned", pins.resolve("maps/_data").toString(), "--json")).isZero();

        assertThat(out.toString().strip()).endsWith("\"variables\": {\"pid_offset\": " + pid + "}}");
    }

    @Test
    void aMissingFileIsOneLineNamingIt() throws Exception {
        assertThat(run("load", object().toString(), "--pin", pins.toString(), "--kernel-btf", "/no/such.btf")).isEqualTo(1);

        assertThat(err.toString().strip()).doesNotContain("\n")
                .startsWith("bpf-globals: --kernel-btf /no/such.btf: no such file");
        assertThat(Files.exists(pins)).isFalse();
    }

    @Test
    void aFileThatIsNotBtfIsOneLineNamingIt() throws Exception {
        Path object = object();

        assertThat(run("load", object.toString(), "--pin", pins.toString(), "--kernel-btf", object.toString())).isEqualTo(1);

        assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("\tat ").contains(object.toString());
        assertThat(Files.exists(pins)).isFalse();
    }

    private static Path object() throws IOException, InterruptedException {
        return BpfObjects.compileWithVmlinux("core_offset");
    }
}

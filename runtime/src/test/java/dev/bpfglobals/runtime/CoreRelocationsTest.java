package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfKind;
import dev.bpfglobals.runtime.btf.BtfReader;
import dev.bpfglobals.runtime.btf.BtfType;
import dev.bpfglobals.runtime.btf.BtfWriter;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs built on the running kernel's {@code vmlinux.h}, loaded with their CO-RE relocations
 * resolved against its BTF and run; every value they report is checked against the kernel's BTF
 * as read here, independently of the loader.
 */
@RequiresBpf
class CoreRelocationsTest {

    private static Btf kernel;

    @BeforeAll
    static void readKernelBtf() throws Exception {
        kernel = BtfReader.read(Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux")));
    }

    private static ObjectSpec object() throws Exception {
        return ObjectSpec.open(BpfObjects.compileWithVmlinux("core_vmlinux"));
    }

    /** Runs read_task once and returns the .bss it filled. */
    private static Bss runReadTask(LoadedObject loaded, ObjectSpec object) {
        try (BpfProgram program = loaded.program("read_task")) {
            program.testRunOnCpu(new long[0], PossibleCpus.system().cpuAt(0));
        }
        return new Bss(loaded.globalData(".bss"), object.globalSection(".bss").orElseThrow());
    }

    private record Bss(MemorySegment values, GlobalSection section) {
        long u64(String name) {
            return values.get(ValueLayout.JAVA_LONG, section.variable(name).orElseThrow().offset());
        }

        int s32(String name) {
            return values.get(ValueLayout.JAVA_INT, section.variable(name).orElseThrow().offset());
        }
    }

    private static BtfType.Member member(String struct, String name) {
        BtfType.Struct type = kernel.type(kernel.find(BtfKind.STRUCT, struct).orElseThrow(), BtfType.Struct.class);
        return type.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void coreReadsOfTaskStructFieldsReadTheCurrentTask() throws Exception {
        ObjectSpec object = object();

        try (LoadedObject loaded = LoadedObject.load(object)) {
            Bss bss = runReadTask(loaded, object);

            long pidTgid = bss.u64("pid_tgid");
            assertThat(bss.s32("pid")).isEqualTo((int) pidTgid);
            assertThat(bss.s32("tgid")).isEqualTo((int) (pidTgid >>> 32));
            assertThat(bss.s32("flavoured_pid")).as("task_struct___mine.pid").isEqualTo((int) pidTgid);
            assertThat(bss.s32("sub_pid")).as("read in a subprogram").isEqualTo((int) pidTgid);
        }
    }

    @Test
    void fieldTypeAndEnumRelocationsGiveTheKernelsValues() throws Exception {
        ObjectSpec object = object();
        int task = kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow();
        BtfType.Enum mapTypes = kernel.type(kernel.find(BtfKind.ENUM, "bpf_map_type").orElseThrow(), BtfType.Enum.class);

        try (LoadedObject loaded = LoadedObject.load(object)) {
            Bss bss = runReadTask(loaded, object);

            assertThat(bss.s32("pid_exists")).isEqualTo(1);
            assertThat(bss.s32("missing_exists")).as("task_struct___mine.no_such_field exists").isZero();
            assertThat(bss.s32("missing_read")).isZero();
            assertThat(bss.s32("task_exists")).isEqualTo(1);
            assertThat(bss.s32("missing_type_exists")).isZero();
            assertThat(bss.u64("task_size")).isEqualTo(kernel.sizeOf(task));
            assertThat(bss.s32("pid_size")).isEqualTo(4);
            assertThat(bss.s32("pid_offset")).isEqualTo(member("task_struct", "pid").bitOffset() / 8);
            assertThat(bss.u64("ringbuf_value")).isEqualTo(mapTypes.values().stream()
                    .filter(v -> v.name().equals("BPF_MAP_TYPE_RINGBUF")).findFirst().orElseThrow().value());
            assertThat(bss.s32("ringbuf_exists")).isEqualTo(1);
            assertThat(bss.s32("missing_value_exists")).isZero();
            assertThat(bss.s32("task_type_id")).isEqualTo(task);
        }
    }

    @Test
    void bitfieldRelocationsGiveTheLoadAndShiftsOfTheKernelsBitfield() throws Exception {
        ObjectSpec object = object();
        BtfType.Member migrated = member("task_struct", "sched_migrated");
        int bit = migrated.bitOffset();
        int bits = migrated.bitfieldSize();
        // The smallest aligned load of the member's int type (4 bytes) or wider that holds the bits, as libbpf computes it.
        long size = 4;
        long offset = bit / 8 / size * size;
        while (bit + bits - offset * 8 > size * 8) {
            size *= 2;
            offset = bit / 8 / size * size;
        }

        try (LoadedObject loaded = LoadedObject.load(object)) {
            Bss bss = runReadTask(loaded, object);

            assertThat(bits).isEqualTo(1);
            assertThat(bss.s32("bitfield_offset")).isEqualTo(offset);
            assertThat(bss.s32("bitfield_size")).isEqualTo(size);
            assertThat(bss.s32("bitfield_lshift")).isEqualTo(64 - (bit + bits - offset * 8));
            assertThat(bss.s32("bitfield_rshift")).isEqualTo(64 - bits);
            assertThat(bss.s32("bitfield_signed")).as("unsigned int sched_migrated:1").isZero();
            assertThat(bss.s32("prio_signed")).as("int prio").isEqualTo(1);
        }
    }

    @Test
    void contextReadsThroughVmlinuxSkBuffAreRelocated() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(object());
             BpfProgram program = loaded.program("skb_len")) {
            // A socket filter's test run sees the packet after its 14-byte Ethernet header is pulled.
            assertThat(program.testRun(new byte[100], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(100 - 14);
        }
    }

    @Test
    void aReachedRelocationTheKernelCannotSatisfyIsRefusedNamingIt() throws Exception {
        ObjectSpec object = object().withAutoload("read_missing", true);

        assertThatThrownBy(() -> LoadedObject.load(object).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("program 'read_missing'")
                .hasMessageContaining("CO-RE relocation (field byte offset of struct task_struct___mine.no_such_field")
                .hasMessageContaining("does not exist in this kernel's BTF")
                .hasMessageContaining("the kernel's struct task_struct has no such member");
    }

    @Test
    void aReachedRelocationOfAStructNoKernelHasSaysSo() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("core"));

        assertThatThrownBy(() -> LoadedObject.load(object).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("program 'read_tgid'")
                .hasMessageContaining("CO-RE relocation (field byte offset of struct task.tgid, access 0:1)")
                .hasMessageContaining("the kernel has no struct task (");
    }

    @Test
    void theBtfOfAnObjectBuiltOnVmlinuxHIsLoadedAndTypesItsMaps() throws Exception {
        // Hundreds of kernel types come along with vmlinux.h: once, a BTF log sized for small objects
        // overflowed on them (ENOSPC), and the object loaded without BTF, its maps untyped.
        ObjectSpec object = object();
        assertThat(object.btf().orElseThrow().types().size()).isGreaterThan(200);

        try (LoadedObject loaded = LoadedObject.load(object); BpfMap bss = loaded.map(".bss")) {
            assertThat(loaded.btfRefusal()).isEmpty();
            assertThat(bss.valueType()).as("the .bss map's BTF value type").isPresent();
        }
    }

    @Test
    void aTracerWrittenTheLibbpfBootstrapWayLoads() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("core_bootstrap"));
        String vmlinux = bpftool("btf", "dump", "file", "/sys/kernel/btf/vmlinux");
        long realParent = bitOffset(vmlinux, "task_struct", "real_parent") / 8;
        long tgid = bitOffset(vmlinux, "task_struct", "tgid") / 8;
        long exitCode = bitOffset(vmlinux, "task_struct", "exit_code") / 8;

        assertThat(object.programs()).allSatisfy(p -> assertThat(p.btfExt().coreRelocations()).isNotEmpty());
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram exec = loaded.program("on_exec");
             BpfProgram exit = loaded.program("on_exit");
             BpfMap started = loaded.map("started");
             BpfMap events = loaded.map("events")) {
            for (BpfProgram program : List.of(exec, exit)) {
                String shown = bpftool("-j", "prog", "show", "id", Integer.toString(program.info().id()));
                assertThat(shown).as("bpftool prog show of %s", program.info().name())
                        .contains("\"type\":\"tracepoint\"", "\"name\":\"" + program.info().name() + "\"");
                assertThat(mapIds(shown)).as("the maps the kernel says %s uses", program.info().name())
                        .contains(started.info().id(), events.info().id());
            }
            // BPF_CORE_READ loads each member's offset into a register: the kernel's program holds the kernel's offsets.
            assertThat(movedImmediates(bpftool("prog", "dump", "xlated", "id", Integer.toString(exec.info().id()))))
                    .as("constants of on_exec as the kernel holds it; task_struct's real_parent at %d and tgid at %d per bpftool",
                            realParent, tgid)
                    .contains(realParent, tgid);
            assertThat(movedImmediates(bpftool("prog", "dump", "xlated", "id", Integer.toString(exit.info().id()))))
                    .as("constants of on_exit as the kernel holds it; task_struct's real_parent at %d, tgid at %d and exit_code"
                            + " at %d per bpftool", realParent, tgid, exitCode)
                    .contains(realParent, tgid, exitCode);
        }
    }

    @Test
    void aKernelBtfFileGivesTheOffsetsInIt(@TempDir Path dir) throws Exception {
        int taskId = kernel.find(BtfKind.STRUCT, "task_struct").orElseThrow();
        BtfType.Struct task = kernel.type(taskId, BtfType.Struct.class);
        List<BtfType.Member> members = new ArrayList<>();
        int movedTo = 0;
        for (BtfType.Member m : task.members()) {
            // pid and tgid swap places: a kernel BTF no running kernel has, so the values can only come from the file.
            String name = m.name().equals("pid") ? "tgid" : m.name().equals("tgid") ? "pid" : m.name();
            members.add(new BtfType.Member(name, m.type(), m.bitOffset(), m.bitfieldSize()));
            if (name.equals("pid")) {
                movedTo = m.bitOffset() / 8;
            }
        }
        Path file = dir.resolve("vmlinux.btf");
        Files.write(file, BtfWriter.write(kernel.withType(taskId, new BtfType.Struct(task.name(), task.size(), members))));
        ObjectSpec object = object();

        try (LoadedObject loaded = LoadedObject.load(object, BpfFeatures.probe(), file)) {
            Bss bss = runReadTask(loaded, object);

            assertThat(movedTo).isNotEqualTo(member("task_struct", "pid").bitOffset() / 8);
            assertThat(bss.s32("pid_offset")).isEqualTo(movedTo);
            long pidTgid = bss.u64("pid_tgid");
            assertThat(bss.s32("pid")).as("read at tgid's place").isEqualTo((int) (pidTgid >>> 32));
        }
    }

    /** bpftool's output for {@code arguments}, which must succeed. */
    private static String bpftool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bpftool"));
        command.addAll(List.of(arguments));
        Process bpftool = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bpftool.waitFor()).as("exit status of %s", command).isZero();
        return out;
    }

    /** The bit offset bpftool's plain BTF dump gives {@code member} of {@code struct}. */
    private static long bitOffset(String dump, String struct, String member) {
        List<String> lines = dump.lines().toList();
        Pattern memberLine = Pattern.compile("\t'" + member + "' type_id=\\d+ bits_offset=(\\d+)");
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\[\\d+] STRUCT '" + struct + "' .*")) {
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("\t"); j++) {
                    Matcher m = memberLine.matcher(lines.get(j));
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            }
        }
        throw new AssertionError("bpftool shows no member " + member + " of struct " + struct);
    }

    /** The map ids in bpftool's JSON description of a program. */
    private static List<Integer> mapIds(String json) {
        Matcher ids = Pattern.compile("\"map_ids\":\\[([\\d,]*)]").matcher(json);
        assertThat(ids.find()).as("map_ids in %s", json).isTrue();
        return java.util.Arrays.stream(ids.group(1).split(",")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }

    /** The immediates of the {@code rN = K} moves in bpftool's dump of a program's translated instructions. */
    private static List<Long> movedImmediates(String xlated) {
        Matcher move = Pattern.compile("\\(b7\\) r\\d+ = (-?\\d+)").matcher(xlated);
        List<Long> values = new ArrayList<>();
        while (move.find()) {
            values.add(Long.parseLong(move.group(1)));
        }
        return values;
    }
}

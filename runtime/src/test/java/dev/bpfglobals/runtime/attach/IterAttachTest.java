package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * BPF iterators ({@code iter/task}, {@code iter/bpf_map_elem}), loaded against
 * {@code bpf_iter_TARGET}, linked, and read from Java: one pass over every task, filtered in the
 * program to this JVM's threads, lists exactly the tids {@code /proc/self/task} lists, as text and as
 * binary records; a map iterator writes exactly the map's elements. Task iterators load on every
 * leg (5.8+), this project's host included; map iterators where the leg states {@code map-iter}.
 */
@RequiresBpf
class IterAttachTest {

    private static final int ATTEMPTS = 20;

    @Test
    void aTaskIteratorListsExactlyThisJvmsThreadsAsTextAndAsRecords() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("iter"));
        int tgid = (int) ProcessHandle.current().pid();
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram records = loaded.program("write_threads");
             Link text = loaded.attach("print_threads");
             Link binary = records.attachIterator()) {
            GlobalView.of(object, loaded, ".bss").setInt("target_tgid", tgid);
            assertSameAsProc(() -> IterAttach.readText(text).lines().map(line -> {
                String[] fields = line.split(" ");
                assertThat(Integer.parseInt(fields[0])).as("tgid of '" + line + "'").isEqualTo(tgid);
                return Integer.parseInt(fields[1]);
            }).collect(Collectors.toCollection(TreeSet::new)));
            assertSameAsProc(() -> IterAttach.readRecords(binary, 8).stream().map(record -> {
                assertThat(record.getInt(0)).as("tgid of a record").isEqualTo(tgid);
                return record.getInt(4);
            }).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void aMapIteratorWritesExactlyTheMapsElementsOrItsLoadNamesWhyNot() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("iter")).withAutoload("write_elements", true);
        if (!KernelExpectations.has(Feature.MAP_ITER)) {
            assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("program 'write_elements' in section '?iter/bpf_map_elem' was refused with EPERM")
                    .hasMessageContaining("refuses this iterator target here")
                    .hasMessageNotContaining("\n");
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("write_elements");
             BpfMap walked = loaded.map("walked")) {
            Map<Integer, Long> expected = new TreeMap<>();
            try (Arena arena = Arena.ofConfined()) {
                for (int key = 1; key <= 5; key++) {
                    expected.put(key, key * 1_000_000_007L);
                    walked.update(arena.allocateFrom(ValueLayout.JAVA_INT, key), arena.allocateFrom(ValueLayout.JAVA_LONG, expected.get(key)));
                }
            }
            try (Link iterator = program.attachMapIterator(walked)) {
                Map<Integer, Long> seen = new TreeMap<>();
                for (ByteBuffer record : IterAttach.readRecords(iterator, 12)) {
                    assertThat(seen.put(record.getInt(0), record.getLong(4))).as("each key once").isNull();
                }
                assertThat(seen).isEqualTo(expected);
            }
        }
    }

    @Test
    void aMapIteratorWithoutItsMapIsRefusedNamingTheMethodThatTakesOne() throws Exception {
        if (!KernelExpectations.has(Feature.MAP_ITER)) {
            return; // the refusal of its load is the test above's
        }
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("iter")).withAutoload("write_elements", true);
        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThatThrownBy(() -> loaded.attach("write_elements"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("iterator write_elements: the kernel refused with EBADF: this iterator's target walks the "
                            + "elements of one map; attach it with attachMapIterator(map)");
        }
    }

    /**
     * Threads come and go in a JVM (compiler and GC threads among them), so a pass counts where
     * {@code /proc/self/task} lists the same tids before and after it; those must be the pass's exactly.
     */
    private static void assertSameAsProc(Supplier<Set<Integer>> pass) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Set<Integer> before = procTasks();
            Set<Integer> listed = pass.get();
            if (before.equals(procTasks())) {
                assertThat(listed).as("tids the iterator listed, against /proc/self/task").isEqualTo(before);
                return;
            }
        }
        throw new AssertionError("this JVM's threads kept changing during " + ATTEMPTS + " passes");
    }

    private static Set<Integer> procTasks() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(task -> Integer.parseInt(task.getFileName().toString())).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}

package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.loader.Instructions;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Maps declared {@code __uint(pinning, LIBBPF_PIN_BY_NAME)}: pinned under the pin root and shared by the next object. */
@RequiresBpf
class MapPinningTest {

    private final Path root = BpfPins.path("map-pinning");
    private final LoadOptions options = LoadOptions.defaults().withPinRoot(root);

    @AfterEach
    void removePins() throws IOException {
        Files.deleteIfExists(root.resolve("shared"));
        Files.deleteIfExists(root);
    }

    @Test
    void twoObjectsLoadedOneAfterTheOtherShareTheMapPinnedByName() throws Exception {
        try (LoadedObject writer = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("pinned_writer")), options);
             BpfProgram write = writer.program("write_shared")) {
            write.testRun(new byte[64], 3, cpu());
            assertThat(root.resolve("shared")).as("pinned at PIN_ROOT/NAME").exists();

            try (LoadedObject reader = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("pinned_reader")), options);
                 BpfProgram read = reader.program("read_shared");
                 BpfMap writersMap = writer.map("shared");
                 BpfMap readersMap = reader.map("shared")) {
                read.testRun(new byte[64], 1, cpu());

                assertThat(reader.globalData(".bss").get(ValueLayout.JAVA_LONG, 0)).as("what the writer counted").isEqualTo(3);
                assertThat(countIn(writersMap)).as("what the reader added, seen by the writer").isEqualTo(103);
                assertThat(readersMap.info().id()).isEqualTo(writersMap.info().id());
            }
        }
        assertThat(root.resolve("shared")).as("the pin outlives both objects").exists();
        try (BpfMap pinned = BpfMap.openPinned(root.resolve("shared"), MapAccess.READ_ONLY)) {
            assertThat(countIn(pinned)).isEqualTo(103);
        }
    }

    @Test
    void aMapPinnedWithAnotherShapeIsRefusedNamingTheFieldExpectedAndActual() throws Exception {
        try (LoadedObject writer = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("pinned_writer")), options)) {
            ObjectSpec larger = ObjectSpec.open(BpfObjects.compileVariant("pinned_reader", "max32", "-DMAX_ENTRIES=32"));

            assertThatThrownBy(() -> LoadedObject.load(larger, options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("map 'shared' is pinned by name")
                    .hasMessageContaining("it declares max entries 32, but it has 16")
                    .hasMessageContaining(root.resolve("shared").toString());
        }
    }

    @Test
    void thePinRootIsWhereTheMapIsPinnedAndAnotherRootGetsAnotherMap() throws Exception {
        Path other = BpfPins.path("map-pinning-other");
        try (LoadedObject first = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("pinned_writer")), options);
             LoadedObject second = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("pinned_writer")),
                     LoadOptions.defaults().withPinRoot(other));
             BpfMap firstMap = first.map("shared");
             BpfMap secondMap = second.map("shared")) {
            assertThat(other.resolve("shared")).exists();
            assertThat(secondMap.info().id()).isNotEqualTo(firstMap.info().id());
        } finally {
            Files.deleteIfExists(other.resolve("shared"));
            Files.deleteIfExists(other);
        }
    }

    @Test
    void aLoadThatFailsRemovesThePinItMade() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("pinned_writer"));
        ObjectSpec broken = object.withPrograms(object.programs().stream()
                .map(p -> new ProgramSpec(p.name(), p.section(), p.type(), p.sectionOffset(),
                        new long[] {Instructions.of(0x95, 0, 0, 0, 0)}, java.util.List.of(), p.btfExt()))
                .toList());

        assertThatThrownBy(() -> LoadedObject.load(broken, options)).hasMessageContaining("write_shared");
        assertThat(root.resolve("shared")).doesNotExist();
    }

    private static long countIn(BpfMap map) {
        byte[] key = new byte[4];
        byte[] value = map.elements().lookup(key).orElseThrow();
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    private static int cpu() {
        return PossibleCpus.system().cpuAt(0);
    }
}

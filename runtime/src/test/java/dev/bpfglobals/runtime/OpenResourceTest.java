package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects packaged as class path resources, as bpf-globals-maven-plugin writes them. */
class OpenResourceTest {

    @TempDir
    Path classes;

    private ClassLoader loaderWith(String resource, byte[] bytes) throws Exception {
        Path file = classes.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }

    @Test
    void readsTheObjectAClassLoaderHoldsAsTheFileWouldRead() throws Exception {
        Path object = BpfObjects.compile("globals");
        ClassLoader loader = loaderWith("bpf/globals.bpf.o", Files.readAllBytes(object));

        ObjectSpec fromResource = ObjectSpec.openResource(loader, "bpf/globals.bpf.o");

        assertThat(fromResource.toString()).isEqualTo(ObjectSpec.open(object).toString());
        assertThat(fromResource.globalSection(".percpu").orElseThrow().size()).isEqualTo(34);
    }

    @Test
    void aLeadingSlashNamesTheSameResource() throws Exception {
        ClassLoader loader = loaderWith("bpf/globals.bpf.o", Files.readAllBytes(BpfObjects.compile("globals")));

        assertThat(ObjectSpec.openResource(loader, "/bpf/globals.bpf.o").globalSection(".percpu")).isPresent();
    }

    @Test
    void theCallersClassLoaderIsSearchedByDefault() throws Exception {
        // The test class path holds no object, so the caller's loader must report exactly this name.
        assertThatThrownBy(() -> ObjectSpec.openResource("bpf/absent.bpf.o"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("bpf/absent.bpf.o")
                .hasMessageContaining("no such resource on the class path");
    }

    @Test
    void aMissingResourceIsNamedWithWhereThePluginPutsObjects() throws Exception {
        ClassLoader loader = loaderWith("bpf/other.bpf.o", new byte[] {1});

        assertThatThrownBy(() -> ObjectSpec.openResource(loader, "bpf/xdp_stats.bpf.o"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("bpf/xdp_stats.bpf.o")
                .hasMessageContaining("bpf/NAME.bpf.o");
    }

    @Test
    void aMalformedResourceIsAFormatExceptionNamingIt() throws Exception {
        ClassLoader loader = loaderWith("bpf/broken.bpf.o", "not an ELF file".getBytes());

        assertThatThrownBy(() -> ObjectSpec.openResource(loader, "bpf/broken.bpf.o"))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("resource bpf/broken.bpf.o: ");
    }
}

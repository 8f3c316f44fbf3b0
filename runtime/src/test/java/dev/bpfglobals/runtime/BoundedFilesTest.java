package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.kernel.BoundedFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input file is bounded before it is read. The timeout only turns a read that would block for
 * ever (a FIFO, {@code /dev/zero}) into a failure; no test here depends on speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedFilesTest {

    @Test
    void aRegularFileUpToTheLimitIsRead(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});

        assertThat(BoundedFiles.read(file, "a test file", 3)).containsExactly(1, 2, 3);
    }

    @Test
    void aFileOverTheLimitIsRefusedNamingItsSizeAndTheLimit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L * 1024 * 1024 * 1024);
        }

        assertThatThrownBy(() -> BoundedFiles.read(file, "a BPF object", ObjectSpec.MAX_FILE_SIZE))
                .isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(file + " is 3221225472 bytes, over the 268435456-byte limit for a BPF object");
    }

    @Test
    void devicesAndFifosAreRefusedUnopened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        for (Path path : new Path[] {fifo, Path.of("/dev/zero"), Path.of("/dev/urandom")}) {
            assertThatThrownBy(() -> ObjectSpec.open(path)).as(path.toString())
                    .isInstanceOf(BoundedFiles.RefusedFileException.class)
                    .hasMessage(path + " is not a regular file (a FIFO, device or socket): give a BPF object as a regular file");
        }
    }

    @Test
    void aDirectoryAndAMissingFileAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> ObjectSpec.open(dir)).isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(dir + " is a directory, not a file");
        assertThatThrownBy(() -> ObjectSpec.open(dir.resolve("none.o"))).isInstanceOf(NoSuchFileException.class)
                .hasMessage(dir.resolve("none.o").toString());
    }
}

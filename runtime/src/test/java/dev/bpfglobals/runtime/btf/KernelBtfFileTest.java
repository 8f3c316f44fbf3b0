package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A kernel BTF file is bounded before it is read (the timeout only turns a hang on /dev/zero into a failure). */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelBtfFileTest {

    @Test
    void aDeviceIsRefusedInOneLine() {
        assertThatThrownBy(() -> KernelBtf.read(Path.of("/dev/zero"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot read kernel BTF: /dev/zero is not a regular file (a FIFO, device or socket): give"
                        + " a kernel's BTF as a regular file");
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vmlinux");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L * 1024 * 1024 * 1024);
        }

        assertThatThrownBy(() -> KernelBtf.read(file)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot read kernel BTF: " + file + " is 3221225472 bytes, over the 134217728-byte limit"
                        + " for a kernel's BTF");
    }
}

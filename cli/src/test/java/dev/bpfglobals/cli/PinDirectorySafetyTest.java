package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load --pin DIR} pins only into directories no one else controls: on a bpffs of mode 1777
 * another user could make DIR first and swap {@code maps/} for a symlink. New directories are 0700.
 */
@RequiresBpf
class PinDirectorySafetyTest extends PinningCliTest {

    @Override
    protected String pinName() {
        return "cli-pin-safety";
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        Files.createDirectory(pins);
        Files.setAttribute(pins, "unix:uid", 65534);

        assertThat(run("load", object(), "--pin", pins.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: --pin " + pins + ": " + pins
                + " is owned by uid 65534, not by this user (uid 0); choose a directory of your own\n");
        assertThat(Files.exists(pins.resolve("maps"))).isFalse();
    }

    @Test
    void aDirectoryWritableByOthersIsRefused() throws Exception {
        Files.createDirectory(pins);
        Files.setPosixFilePermissions(pins, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(run("load", object(), "--pin", pins.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: --pin " + pins + ": " + pins
                + " is writable by others (mode 777); chmod o-w " + pins + ", or choose another directory\n");
    }

    @Test
    void aMapsDirectorySwappedForASymlinkIsRefused(@TempDir Path elsewhere) throws Exception {
        Files.createDirectory(pins, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(pins.resolve("maps"), elsewhere);

        assertThat(run("load", object(), "--pin", pins.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bpf-globals: --pin " + pins + ": " + pins.resolve("maps")
                + " is a symbolic link; pins go only into real directories (remove it, or choose another directory)\n");
    }

    @Test
    void newPinDirectoriesAreOwnerOnly() throws Exception {
        assertThat(run("load", object(), "--pin", pins.toString())).as(err.toString()).isZero();

        for (Path made : new Path[] {pins, pins.resolve("maps"), pins.resolve("progs")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made, LinkOption.NOFOLLOW_LINKS)))
                    .as(made.toString()).isEqualTo("rwx------");
        }
    }

    private static String object() throws Exception {
        return BpfObjects.compile("counters").toString();
    }
}

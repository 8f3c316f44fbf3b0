package dev.bpfglobals.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The directories {@code load --pin} pins into, made and accepted as bpftool does. On a bpffs of
 * mode 1777 another user can make the directory first and later swap {@code maps/} for a symlink to
 * steer the pins; so an existing directory must be the caller's, a real directory and not writable
 * by others, and new ones are made {@code 0700}.
 */
final class PinDirectories {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int WRITABLE_BY_OTHERS = 0002;

    private PinDirectories() {
    }

    /**
     * Refuses {@code dir}, {@code dir/maps}, {@code dir/progs} or {@code dir/links} where one exists and is a symlink,
     * is owned by another user, or is writable by others.
     *
     * @throws IllegalArgumentException naming the directory, what is wrong with it and what to do
     */
    static void requireSafe(Path dir) throws IOException {
        int caller = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        for (Path path : List.of(dir, dir.resolve("maps"), dir.resolve("progs"), dir.resolve("links"))) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.isSymbolicLink(path)) {
                throw new IllegalArgumentException("--pin " + dir + ": " + path + " is a symbolic link; pins go only"
                        + " into real directories (remove it, or choose another directory)");
            }
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != caller) {
                throw new IllegalArgumentException("--pin " + dir + ": " + path + " is owned by uid " + owner
                        + ", not by this user (uid " + caller + "); choose a directory of your own");
            }
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & WRITABLE_BY_OTHERS) != 0) {
                throw new IllegalArgumentException("--pin " + dir + ": " + path + " is writable by others (mode "
                        + Integer.toOctalString(mode & 07777) + "); chmod o-w " + path + ", or choose another directory");
            }
        }
    }

    /** Makes {@code directory}, readable and writable by its owner alone ({@code 0700}, as bpftool does). */
    static Path create(Path directory) throws IOException {
        return Files.createDirectory(directory, OWNER_ONLY);
    }
}

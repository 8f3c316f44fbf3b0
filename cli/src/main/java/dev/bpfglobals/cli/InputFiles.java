package dev.bpfglobals.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The files named on a command line, checked before use so that the message names the path and what is wrong. */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * {@code path}, if it is a file that exists.
     *
     * @throws IllegalArgumentException {@code no such file: PATH}, or that {@code PATH} is a directory
     */
    static Path requireFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a directory, not a file");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        return path;
    }
}

package dev.bpfglobals.cli;

import dev.bpfglobals.runtime.kernel.BoundedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files named on a command line, checked before use so that the message names the path and what is wrong. */
final class InputFiles {

    /** The largest contract read: generated contracts are a few kilobytes, so this only stops a runaway file. */
    static final long MAX_CONTRACT_SIZE = 16L * 1024 * 1024;

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

    /**
     * The text of contract file {@code path}, read only if it is a regular file of at most
     * {@link #MAX_CONTRACT_SIZE} bytes of UTF-8.
     *
     * @throws IOException one line naming the path: no such file, a directory, not a regular file, too large, not UTF-8
     */
    static String readContract(Path path) throws IOException {
        byte[] bytes = BoundedFiles.read(path, "a contract", MAX_CONTRACT_SIZE);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BoundedFiles.RefusedFileException(path, path + " is not UTF-8 text, so not a contract");
        }
    }
}

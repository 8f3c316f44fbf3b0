package dev.bpfglobals.runtime.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a whole input file with its size bounded before a byte is read: a BPF object, a contract,
 * a kernel's BTF. Only regular files: a FIFO or {@code /dev/zero} would block or never end, and
 * {@code /dev/urandom} would fill the heap, while their size reads as 0. The bound is enforced on
 * the bytes actually read too, since files in {@code /proc} and {@code /sys} report no true size.
 */
public final class BoundedFiles {

    private BoundedFiles() {
    }

    /**
     * A file refused before it was read, with a message that names it and says why in one line.
     * A {@link FileSystemException} with no reason, so that callers reporting {@code getMessage()} print the sentence.
     */
    public static final class RefusedFileException extends FileSystemException {

        /** The one-line message, naming the file and why it was refused. */
        private final String sentence;

        /**
         * {@code path} refused for the reason {@code sentence} gives; the sentence names the path.
         *
         * @param path the refused file
         * @param sentence the message, which names the path and says why
         */
        public RefusedFileException(Path path, String sentence) {
            super(path.toString());
            this.sentence = sentence;
        }

        @Override
        public String getMessage() {
            return sentence;
        }
    }

    /**
     * The bytes of {@code path}.
     *
     * @param kind  what the file should hold, for messages ({@code "a BPF object"}, {@code "a contract"})
     * @param limit the most bytes accepted
     * @param path the file to read
     * @return the file's contents, at most {@code limit} bytes
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws RefusedFileException if it is a directory, not a regular file (a FIFO, device or socket), or over {@code limit} bytes
     * @throws IOException if it cannot be read
     */
    public static byte[] read(Path path, String kind, long limit) throws IOException {
        if (limit < 0 || limit >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit " + limit + " is not a size an array can hold");
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new RefusedFileException(path, path + " is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new RefusedFileException(path, path + " is not a regular file (a FIFO, device or socket): give "
                    + kind + " as a regular file");
        }
        if (attributes.size() > limit) {
            throw tooLarge(path, kind, attributes.size() + " bytes", limit);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) limit + 1);
        }
        if (bytes.length > limit) {
            throw tooLarge(path, kind, "more than " + limit + " bytes", limit);
        }
        return bytes;
    }

    private static RefusedFileException tooLarge(Path path, String kind, String size, long limit) {
        return new RefusedFileException(path, path + " is " + size + ", over the " + limit + "-byte limit for " + kind);
    }
}

package dev.bpfglobals.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/** Reads a BPF object packaged as a class-path resource, bounded as files are. */
final class ObjectResources {

    private ObjectResources() {
    }

    /**
     * @param loader the class loader that holds the resource
     * @param path   the resource's name within {@code loader}, without a leading {@code /} (resource names never have one,
     *               unlike {@code Class.getResource}'s absolute form)
     * @param limit  the largest object accepted, in bytes
     * @return the resource's bytes
     * @throws NoSuchFileException naming the resource, and where the Maven plugin puts objects, when it is missing
     * @throws BpfFormatException  for a resource over {@code limit}
     */
    static byte[] read(ClassLoader loader, String path, long limit) throws IOException {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new NoSuchFileException(path, null, "no such resource on the class path; bpf-globals-maven-plugin"
                        + " writes each src/main/bpf/NAME.bpf.c to bpf/NAME.bpf.o (and bpf/NAME.native.bpf.o in mode both)");
            }
            bytes = in.readNBytes((int) limit + 1);
        }
        if (bytes.length > limit) {
            throw new BpfFormatException("resource " + path + " is over the " + limit + "-byte limit");
        }
        return bytes;
    }
}

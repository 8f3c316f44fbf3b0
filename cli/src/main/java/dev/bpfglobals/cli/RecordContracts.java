package dev.bpfglobals.cli;

import dev.bpfglobals.contract.GeneratedAccessors;
import dev.bpfglobals.contract.GlobalsContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A record's contract as its generated accessor holds it, loaded from a class path given on the
 * command line ({@code check --record}, {@code export PIN=record:FQCN}).
 */
final class RecordContracts {

    private RecordContracts() {
    }

    /**
     * The {@code CONTRACT} of {@code record}'s generated accessor, found on {@code classpath}
     * (entries separated by {@code :}; the tool's own class path is searched first).
     *
     * @throws IllegalArgumentException if there is no such class, or it is not an annotated record
     * @throws IllegalStateException    if the record is annotated but its accessor was not generated
     *                                  (the message says how to make the processor run)
     */
    static GlobalsContract of(String record, String classpath) {
        URL[] urls = Arrays.stream(classpath.split(":")).filter(p -> !p.isEmpty()).map(RecordContracts::url).toArray(URL[]::new);
        try (URLClassLoader loader = new URLClassLoader(urls, RecordContracts.class.getClassLoader())) {
            Class<?> type;
            try {
                type = loader.loadClass(record);
            } catch (ClassNotFoundException e) {
                int dot = record.lastIndexOf('.');
                String accessor = record.substring(0, dot + 1) + record.substring(dot + 1).replace('$', '_') + "Globals";
                throw new IllegalArgumentException("no record " + record + " and no generated accessor " + accessor + " on "
                        + classpath);
            }
            // Says, for an annotated record without accessor, that the processor did not run and how to enable it.
            return GeneratedAccessors.contractOf(type);
        } catch (IOException e) {
            throw new UncheckedIOException("closing the class loader of " + classpath, e);
        }
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException | RuntimeException e) {
            throw new IllegalArgumentException("bad class path entry " + entry);
        }
    }
}

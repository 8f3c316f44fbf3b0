package dev.bpfglobals.exporter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the text format's sample lines into {@code name{labels}} -> value, for assertions. */
final class Exposition {

    private Exposition() {
    }

    static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The type line of {@code family}: {@code counter} or {@code gauge}. */
    static String type(String text, String family) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE " + family + " ")) {
                return line.substring(("# TYPE " + family + " ").length());
            }
        }
        throw new AssertionError("no # TYPE line for " + family + " in:\n" + text);
    }
}

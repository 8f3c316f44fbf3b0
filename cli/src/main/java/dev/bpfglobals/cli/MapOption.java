package dev.bpfglobals.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One {@code --map PIN[,metric=NAME][,labels=A:B:...][,type=counter|gauge][,max-series=N]}: a
 * pinned hash map exported one series per entry, with what names its family and its key's labels.
 * The pin is everything before the first comma; unset options take the exporter's defaults (the
 * map's name, the key's BTF member names, counter for an unsigned value, 10000 series).
 *
 * @param pin        the pinned map's path, as given
 * @param metric     the family's name, or null for {@code bpf_<map name>}
 * @param labels     the key's label names in member order, or empty for the BTF names
 * @param counter    counter (true), gauge (false), or null for the value's signedness to decide
 * @param maxSeries  the most series a scrape makes of this map
 */
record MapOption(String pin, String metric, List<String> labels, Boolean counter, int maxSeries) {

    /** The bound a map gets without {@code max-series=}. */
    static final int DEFAULT_MAX_SERIES = 10_000;

    private static final List<String> KNOWN = List.of("metric", "labels", "type", "max-series");

    /**
     * Parses one {@code --map} value.
     *
     * @throws IllegalArgumentException one line naming the option that is unknown, repeated or has a bad value
     */
    static MapOption parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("--map " + text + ": give the pinned map first, e.g. --map /sys/fs/bpf/app/maps/flows");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 1 || equals == parts[i].length() - 1) {
                throw new IllegalArgumentException("--map " + text + ": '" + parts[i] + "' is not NAME=VALUE");
            }
            String key = parts[i].substring(0, equals);
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("--map " + text + ": unknown option '" + key + "'; known: " + String.join("=, ", KNOWN) + "=");
            }
            if (options.put(key, parts[i].substring(equals + 1)) != null) {
                throw new IllegalArgumentException("--map " + text + ": " + key + "= is given twice");
            }
        }
        String labels = options.get("labels");
        String type = options.get("type");
        String maxSeries = options.get("max-series");
        return new MapOption(parts[0], options.get("metric"), labels == null ? List.of() : List.of(labels.split(":", -1)),
                type == null ? null : kind(text, type), maxSeries == null ? DEFAULT_MAX_SERIES : count(text, maxSeries));
    }

    private static Boolean kind(String text, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "counter" -> true;
            case "gauge" -> false;
            default -> throw new IllegalArgumentException("--map " + text + ": type=" + value + ": give counter or gauge");
        };
    }

    private static int count(String text, String value) {
        try {
            int count = Integer.parseInt(value);
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--map " + text + ": max-series=" + value + ": give a whole number of at least 1");
    }
}

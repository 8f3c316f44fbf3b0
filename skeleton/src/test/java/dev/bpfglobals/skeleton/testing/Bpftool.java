package dev.bpfglobals.skeleton.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What bpftool (through libbpf's map calls and BTF dumper) reads from a live map: the reference the
 * skeletons' reads are compared with, independent of this project's codecs.
 */
public final class Bpftool {

    private Bpftool() {
    }

    /** {@code bpftool -j map dump id ID}: one map per entry, with {@code key}, {@code value} (or {@code values}) and {@code formatted}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> dump(int mapId) throws IOException, InterruptedException {
        Process bpftool = new ProcessBuilder("bpftool", "-j", "map", "dump", "id", Integer.toString(mapId))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        bpftool.getOutputStream().close();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!bpftool.waitFor(60, TimeUnit.SECONDS) || bpftool.exitValue() != 0) {
            throw new AssertionError("bpftool map dump id " + mapId + " failed: " + out);
        }
        return (List<Map<String, Object>>) Json.parse(out);
    }

    /** The formatted value of the first entry: for a global section, variable name to value, as libbpf's BTF dumper prints it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> sectionVariables(int mapId, String section) throws IOException, InterruptedException {
        Map<String, Object> formatted = (Map<String, Object>) dump(mapId).getFirst().get("formatted");
        Map<String, Object> value = (Map<String, Object>) formatted.get("value");
        Map<String, Object> variables = new java.util.LinkedHashMap<>();
        for (Object entry : (List<Object>) value.get(section)) {
            variables.putAll((Map<String, Object>) entry);
        }
        return variables;
    }
}

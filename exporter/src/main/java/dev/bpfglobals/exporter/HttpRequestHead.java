package dev.bpfglobals.exporter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of a request head that {@link MetricsPages} and {@link MetricsServer} read: the method,
 * the path (without its query), the {@code Accept} header, and the {@code Authorization} header (null
 * when not sent); {@code method} is empty for a request line that cannot be read.
 */
record HttpRequestHead(String method, String path, String accept, String authorization) {

    /** Where the head in {@code buffer} (filled from 0 to its position) ends, after its blank line; -1 if not yet. */
    static int end(ByteBuffer buffer) {
        for (int i = 3; i < buffer.position(); i++) {
            if (buffer.get(i) == '\n' && (buffer.get(i - 1) == '\n' || buffer.get(i - 1) == '\r' && buffer.get(i - 2) == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The head in the first {@code end} bytes of {@code buffer}. */
    static HttpRequestHead parse(ByteBuffer buffer, int end) {
        byte[] bytes = new byte[end];
        buffer.get(0, bytes);
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            return new HttpRequestHead("", "", "", null);
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        String accept = "";
        String authorization = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("accept")) {
                    accept = lines[i].substring(colon + 1).trim();
                } else if (name.equals("authorization")) {
                    authorization = lines[i].substring(colon + 1).trim();
                }
            }
        }
        return new HttpRequestHead(requestLine[0], query < 0 ? target : target.substring(0, query), accept, authorization);
    }
}

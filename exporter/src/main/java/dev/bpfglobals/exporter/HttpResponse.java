package dev.bpfglobals.exporter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole response, made by a worker and written by the server's selector thread.
 *
 * @param status  the status code
 * @param reason  its reason phrase
 * @param headers headers besides Content-Length and Connection
 * @param body    the body; sent with a {@code HEAD} request's response only as its length
 * @param head    whether this answers {@code HEAD}: the body's length is sent, not the body
 */
record HttpResponse(int status, String reason, Map<String, String> headers, byte[] body, boolean head) {

    /** A plain-text response saying what went wrong, in one line. */
    static HttpResponse error(int status, String reason, String message) {
        return new HttpResponse(status, reason, Map.of("Content-Type", "text/plain; charset=utf-8"),
                (message + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** This response with {@code name: value} added. */
    HttpResponse with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, reason, more, body, head);
    }

    /** This response as the answer to a {@code HEAD} request. */
    HttpResponse forHead() {
        return new HttpResponse(status, reason, headers, body, true);
    }

    /** The status line, headers, blank line and (unless {@code head}) body, as sent. */
    byte[] bytes() {
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] start = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (head) {
            return start;
        }
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }
}

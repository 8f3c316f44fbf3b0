package dev.bpfglobals.exporter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link MetricsPages} behind basic auth: a request without a configured user's password gets 401
 * with {@code WWW-Authenticate}, whatever its path. Runs on {@link MetricsServer}'s workers, since
 * bcrypt is slow on purpose.
 */
final class PagesGate {

    private final MetricsPages pages;
    /** Users asked for a password, or null when none is asked for. */
    private final BasicAuthUsers users;

    PagesGate(MetricsPages pages, BasicAuthUsers users) {
        this.pages = pages;
        this.users = users;
    }

    /** The page, for a request with a user's password when users are configured; else 401. */
    HttpResponse answer(HttpRequestHead request) {
        if (users != null && !users.allows(request.authorization())) {
            return HttpResponse.error(401, "Unauthorized", "a user and password are needed (basic auth)")
                    .with("WWW-Authenticate", "Basic realm=\"bpf-globals\", charset=\"UTF-8\"");
        }
        return pages.answer(request);
    }

    /**
     * Answers a few requests internally (a scrape in each format, a 404, a 405, a 401 if users are
     * configured), reaching no socket, so that the classes serving needs are loaded now: a process
     * about to give up root ({@link PrivilegeDrop}) may no longer be able to read its class path.
     */
    void preload() {
        for (String text : List.of("GET /metrics HTTP/1.1\r\n\r\n",
                "GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text; version=1.0.0\r\n\r\n",
                "HEAD /nowhere HTTP/1.1\r\n\r\n", "POST / HTTP/1.1\r\n\r\n")) {
            ByteBuffer head = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
            head.position(head.limit());
            HttpRequestHead request = HttpRequestHead.parse(head, HttpRequestHead.end(head));
            pages.answer(request).bytes();
            answer(request).bytes(); // with users configured, the 401
        }
    }
}

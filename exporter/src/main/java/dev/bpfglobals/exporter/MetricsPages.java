package dev.bpfglobals.exporter;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link MetricsServer} answers: {@code /metrics} (the registry, in the format the scraper's
 * {@code Accept} asks for) and a landing page at {@code /}, to {@code GET} and {@code HEAD} only.
 * Anything else is refused, so that a probe learns nothing and changes nothing.
 */
public final class MetricsPages {

    /** The methods answered, as the {@code Allow} header of a 405 lists them. */
    static final String ALLOW = "GET, HEAD";

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final byte[] landing;

    /** Pages for {@code registry}; {@code title} heads the landing page. */
    public MetricsPages(PrometheusRegistry registry, String title) {
        this.registry = Objects.requireNonNull(registry, "registry");
        String escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        this.landing = ("<!DOCTYPE html>\n<html><head><title>" + escaped + "</title></head>\n<body><h1>" + escaped
                + "</h1>\n<p><a href=\"/metrics\">Metrics</a></p></body></html>\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The response to {@code request}. */
    HttpResponse answer(HttpRequestHead request) {
        if (request.method().isEmpty()) {
            return HttpResponse.error(400, "Bad Request", "not an HTTP/1.x request line");
        }
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return HttpResponse.error(405, "Method Not Allowed", request.method() + " is not answered here; use GET")
                    .with("Allow", ALLOW);
        }
        HttpResponse response = switch (request.path()) {
            case "/metrics" -> metrics(request.accept());
            case "/" -> new HttpResponse(200, "OK", Map.of("Content-Type", "text/html; charset=utf-8"), landing, false);
            default -> HttpResponse.error(404, "Not Found", "only /metrics is served here");
        };
        return head ? response.forHead() : response;
    }

    private HttpResponse metrics(String accept) {
        try {
            ExpositionFormatWriter writer = formats.findWriter(accept);
            if (!writer.isAvailable()) {
                // Protobuf, whose writer (client_java's exposition-formats, with protobuf shaded in) is not
                // on the class path: Prometheus, the one scraper that asks for it, accepts the text format too.
                writer = formats.getPrometheusTextFormatWriter();
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, registry.scrape());
            return new HttpResponse(200, "OK", Map.of("Content-Type", writer.getContentType()), body.toByteArray(), false);
        } catch (Exception e) {
            // A collector failed (a map read refused): say so in one line rather than serve part of the metrics.
            return HttpResponse.error(500, "Internal Server Error", "scrape failed: " + e.getMessage());
        }
    }
}

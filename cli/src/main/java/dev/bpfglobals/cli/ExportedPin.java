package dev.bpfglobals.cli;

import dev.bpfglobals.exporter.SourcesCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An {@code export} source followed by its pin: before each scrape the pin's file is looked at
 * (a stat, no syscall into BPF), and if it is gone the source is down, its map closed, and no
 * value of it served; if another map is pinned there (a new load at the same path makes a new
 * bpffs inode), it is opened in its place. Each change gets one line on stderr.
 *
 * <p>Thread-safe: scrapes take turns, so no scrape reads a map another is closing.
 */
final class ExportedPin implements SourcesCollector.Source, AutoCloseable {

    private final String spec;
    private final Path pin;
    private final String label;
    /** Opens the map pinned now, as a source labelled {@link #label}. */
    private final Supplier<ExportSource> opener;
    private final PrintWriter err;
    /** Replaced maps kept open (for OTLP, which goes on reading the map opened at start), closed with this. */
    private final List<ExportSource> retired = new ArrayList<>();
    private final boolean keepRetired;
    private ExportSource current;
    /** What {@link #identity()} says when the process may not look at the pin (as export --user's user). */
    private static final Object HIDDEN = new Object();
    private boolean hiddenReported;
    /** The pin file's identity (device and inode) when {@link #current} was opened, or null while it is missing. */
    private Object pinned;

    private ExportedPin(String spec, Path pin, String label, Supplier<ExportSource> opener, PrintWriter err, boolean keepRetired) {
        this.spec = spec;
        this.pin = pin;
        this.label = label;
        this.opener = opener;
        this.err = err;
        this.keepRetired = keepRetired;
    }

    /**
     * Opens {@code spec}, its series labelled {@code source=label}; a replaced map is closed at once
     * unless {@code keepRetired}.
     *
     * @throws RuntimeException as {@link ExportSource#open} does, for a source that cannot be opened now
     */
    static ExportedPin open(String spec, String label, boolean perCpuSeries, String classpath, PrintWriter err,
            boolean keepRetired) {
        int split = spec.indexOf('=');
        Path pin = Path.of(split < 0 ? spec : spec.substring(0, split));
        return watch(new ExportedPin(spec, pin, label, () -> ExportSource.open(spec, perCpuSeries, classpath, label), err, keepRetired));
    }

    /**
     * Opens a {@code --map} source, its series labelled {@code source=label}; replaced maps are closed at once
     * (OTLP does not read hash maps).
     *
     * @throws RuntimeException as {@link ExportSource#openMap} does, for a map that cannot be exported now
     */
    static ExportedPin openMap(MapOption option, String label, PrintWriter err) {
        String spec = "--map " + option.pin();
        Consumer<String> warnings = message -> {
            err.println(Printable.message("bpf-globals export: " + spec + ": " + message));
            err.flush();
        };
        return watch(new ExportedPin(spec, Path.of(option.pin()), label, () -> ExportSource.openMap(option, label, warnings), err, false));
    }

    private static ExportedPin watch(ExportedPin watched) {
        Object identity = watched.identity();
        watched.current = watched.opener.get();
        watched.pinned = identity;
        return watched;
    }

    /** The source as opened at start (for OTLP and the start-up message). */
    ExportSource source() {
        return current;
    }

    @Override
    public String label() {
        return label;
    }

    /** The source as given on the command line. */
    @Override
    public String toString() {
        return spec;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        Object now = identity();
        if (now == HIDDEN) {
            // Not allowed to look (export --user, a pin directory only root may search): the open map is still
            // what it was, so serve it; whether the pin changed cannot be told.
            if (!hiddenReported) {
                hiddenReported = true;
                report("its pin cannot be looked at (permission denied); serving the map opened at start without following the pin");
            }
            return current == null ? null : current.collector().collect();
        }
        if (!Objects.equals(now, pinned)) {
            retire();
            pinned = now;
            if (now == null) {
                report("its pin is gone; reporting it down until a map is pinned there again");
            } else {
                try {
                    current = opener.get();
                    report("a new map is pinned there; now exporting it");
                } catch (RuntimeException e) {
                    report("a new map is pinned there but cannot be exported (" + Failures.describe(e) + "); reporting it down");
                }
            }
        }
        return current == null ? null : current.collector().collect();
    }

    private void retire() {
        if (current == null) {
            return;
        }
        if (keepRetired) {
            retired.add(current);
        } else {
            closeQuietly(current);
        }
        current = null;
    }

    /** The pin's device and inode, null if there is no file there, or {@link #HIDDEN}. */
    private Object identity() {
        try {
            return Files.readAttributes(pin, BasicFileAttributes.class).fileKey();
        } catch (AccessDeniedException e) {
            return HIDDEN;
        } catch (IOException e) {
            return null;
        }
    }

    private void report(String what) {
        err.println(Printable.message("bpf-globals export: " + spec + ": " + what));
        err.flush();
    }

    @Override
    public synchronized void close() {
        retire();
        retired.forEach(ExportedPin::closeQuietly);
        retired.clear();
    }

    private static void closeQuietly(ExportSource source) {
        try {
            source.close();
        } catch (Exception e) {
            // The process is ending or the map is replaced; an fd that does not close changes nothing.
        }
    }
}

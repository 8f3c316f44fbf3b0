package dev.bpfglobals.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of the tool's ahead-of-time cache (JDK 25, JEP 483/515): runs several commands in
 * one JVM, so that the cache the JVM writes at exit ({@code -XX:AOTCacheOutput}) holds the classes,
 * linked lambdas and method profiles of all of them. Commands are separated by {@code --then};
 * each one's output is discarded and its exit code printed, one line each; {@code export}, which
 * serves until stopped, is scraped once on a thread of its own, and the training then exits. The build runs it
 * (src/main/dist/assemble.sh); it is not part of the tool's interface.
 */
public final class AotTraining {

    private static final String SEPARATOR = "--then";

    private AotTraining() {
    }

    /**
     * Runs each command in turn.
     *
     * @param args commands for {@code bpf-globals}, separated by {@code --then}
     */
    public static void main(String[] args) throws Exception {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
        boolean served = false;
        for (List<String> command : commands(args)) {
            if (command.get(0).equals("export")) {
                served |= serveAndScrapeOnce(command);
                continue;
            }
            int status = BpfGlobalsCli.run(command.toArray(String[]::new), discard, discard);
            System.out.println("bpf-globals: trained the AOT cache on `" + String.join(" ", command) + "` (exit " + status + ")");
        }
        if (served) {
            System.exit(0); // the exporter's server threads would keep the JVM, which writes the cache as it exits
        }
    }

    /**
     * Runs {@code export} (which serves until stopped) on a thread of its own, waits for its
     * "serving http://HOST:PORT/metrics" line and scrapes {@code /metrics} once, so that the cache
     * holds a served scrape's classes too.
     *
     * @return whether it served; else it says why on stdout, and the cache holds what ran
     */
    private static boolean serveAndScrapeOnce(List<String> command) throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        Thread exporter = Thread.ofPlatform().daemon().start(() -> BpfGlobalsCli.run(command.toArray(String[]::new), out, out));
        Matcher serving = null;
        for (int waited = 0; waited < 30_000 && exporter.isAlive(); waited += 10) {
            serving = Pattern.compile("serving http://([^ ]+):(\\d+)/metrics").matcher(said.toString());
            if (serving.find()) {
                break;
            }
            serving = null;
            Thread.sleep(10);
        }
        if (serving == null) {
            System.out.println("bpf-globals: the AOT cache is not trained on `export`: it did not serve (" + said.toString().strip() + ")");
            return false;
        }
        try (Socket socket = new Socket(serving.group(1), Integer.parseInt(serving.group(2)))) {
            socket.getOutputStream().write("GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] page = socket.getInputStream().readAllBytes();
            System.out.println("bpf-globals: trained the AOT cache on `" + String.join(" ", command) + "` (served "
                    + page.length + " bytes of /metrics)");
        }
        return true;
    }

    private static List<List<String>> commands(String[] args) {
        List<List<String>> commands = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals(SEPARATOR)) {
                if (i > start) {
                    commands.add(Arrays.asList(args).subList(start, i));
                }
                start = i + 1;
            }
        }
        return commands;
    }
}

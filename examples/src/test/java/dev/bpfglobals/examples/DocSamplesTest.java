package dev.bpfglobals.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java samples of README.md and docs/*.md cannot drift from the code: a fenced {@code java} block
 * whose first line is {@code // from: PATH} must appear in that file (PATH from the repository's
 * root) line for line, leading indentation aside. A line {@code // ...} in a block skips lines of the
 * file; the parts around it must still appear in that order. The pages also keep the shape issue #20
 * gave them: the README a front page, and no line too long to read.
 */
class DocSamplesTest {

    /** The repository: the parent of this module's directory, where surefire runs. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final String FROM = "// from: ";
    private static final int FRONT_PAGE_LINES = 250;
    private static final int LONGEST_LINE = 400;
    private static final String ELISION = "// ...";

    @Test
    void everySampleMarkedWithItsSourceFileAppearsInThatFile() throws IOException {
        List<String> drifted = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (Sample sample : samples(page)) {
                checked++;
                Path source = ROOT.resolve(sample.source());
                if (!Files.isRegularFile(source)) {
                    drifted.add(sample.where() + " quotes " + sample.source() + ", which does not exist");
                } else if (!appearsIn(sample.lines(), stripped(Files.readAllLines(source)))) {
                    drifted.add(sample.where() + " is not, line for line, in " + sample.source());
                }
            }
        }
        assertThat(checked).as("samples marked with // from:").isPositive();
        assertThat(drifted).as("samples that differ from their source").isEmpty();
    }

    @Test
    void theReadmeIsAFrontPageThatLeavesTheDetailsToDocs() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).as("README.md's lines").hasSizeLessThanOrEqualTo(FRONT_PAGE_LINES);
    }

    @Test
    void noPageHasALineLongerThan400Characters() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).length() > LONGEST_LINE) {
                    tooLong.add(ROOT.relativize(page) + ":" + (i + 1) + " has " + lines.get(i).length() + " characters");
                }
            }
        }
        assertThat(tooLong).as("lines over %d characters", LONGEST_LINE).isEmpty();
    }

    @Test
    void theCheckRefusesASampleWhoseLinesAreNotConsecutiveInTheFile() {
        List<String> file = List.of("a();", "b();", "c();");
        assertThat(appearsIn(List.of("a();", "b();"), file)).isTrue();
        assertThat(appearsIn(List.of("a();", ELISION, "c();"), file)).isTrue();
        assertThat(appearsIn(List.of("a();", "c();"), file)).isFalse();
        assertThat(appearsIn(List.of("c();", ELISION, "a();"), file)).isFalse();
    }

    /** A marked block: the page and line it starts on, the file it quotes, its lines without indentation. */
    private record Sample(String where, String source, List<String> lines) {
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<Sample> samples(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java") || i + 1 >= lines.size()
                    || !lines.get(i + 1).strip().startsWith(FROM)) {
                continue;
            }
            String source = lines.get(i + 1).strip().substring(FROM.length()).strip();
            int end = i + 2;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            String where = ROOT.relativize(page) + ":" + (i + 1);
            samples.add(new Sample(where, source, stripped(lines.subList(i + 2, end))));
            i = end;
        }
        return samples;
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).toList();
    }

    /** Whether the parts of the sample between elisions occur in the file, each consecutively, in order. */
    private static boolean appearsIn(List<String> sample, List<String> file) {
        int from = 0;
        List<String> part = new ArrayList<>();
        for (String line : sample) {
            if (line.equals(ELISION)) {
                from = indexOf(part, file, from);
                if (from < 0) {
                    return false;
                }
                from += part.size();
                part.clear();
            } else {
                part.add(line);
            }
        }
        return indexOf(part, file, from) >= 0;
    }

    private static int indexOf(List<String> part, List<String> file, int from) {
        for (int start = from; start + part.size() <= file.size(); start++) {
            if (file.subList(start, start + part.size()).equals(part)) {
                return start;
            }
        }
        return -1;
    }
}

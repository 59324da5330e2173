package io.integrationhub.dataplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation is the project's own and describes what the code reads: every relative link in
 * a Markdown file of the repository reaches a file (and heading) inside it, every {@code INTEGRATION_*}
 * variable the code reads is in docs/configuration.md (and every one the docs name is read), and no
 * document points at a design section, an issue number or a path outside the repository. Files
 * only: no hub is started.
 */
class DocumentationTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path CONFIGURATION = ROOT.resolve("docs/configuration.md");

    /** An inline Markdown link or image: [text](target) or ![alt](target); the target has no spaces. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SETTING = Pattern.compile("\\bINTEGRATION_[A-Z0-9]+(?:_[A-Z0-9]+)*\\b");
    /** References that mean nothing to a reader of the repository alone. */
    private static final Map<String, Pattern> FOREIGN_REFERENCES = Map.of(
            "a design document (DESIGN)", Pattern.compile("\\bDESIGN\\b"),
            "a section sign (§)", Pattern.compile("§"),
            "an issue number", Pattern.compile("(?i)\\bissues?\\s*#?\\d+"),
            "a path outside the repository (../shared)", Pattern.compile("\\.\\./shared"),
            "the project's repository on GitHub", Pattern.compile("(?i)github\\.com/integration-hub"));

    @Test
    void everyRelativeLinkPointsToAFileAndHeadingInsideTheRepository() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : markdownDocuments()) {
            for (Link link : links(document)) {
                String target = link.target();
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    // http(s), mailto: outside references such as RFC 9457 are fine, the project's own are not.
                    if (target.toLowerCase(Locale.ROOT).contains("github.com")) {
                        broken.add(
                                link.where() + ": links to GitHub (" + target + "); link the file in the repository");
                    }
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty()
                        ? document
                        : document.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT)) {
                    broken.add(link.where() + ": " + target + " leaves the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(link.where() + ": " + target + " does not exist (" + ROOT.relativize(resolved) + ")");
                } else if (anchor != null
                        && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(anchor)) {
                    broken.add(link.where() + ": " + target + " names no heading of " + ROOT.relativize(resolved)
                            + " (headings: " + anchors(resolved) + ")");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked)
                .as("relative links checked (README and docs/ link into each other)")
                .isGreaterThan(20);
    }

    /**
     * The scan, and why: every {@code INTEGRATION_} name written in the code that ships — every file
     * under each module's {@code src/main} (Java, application.yaml, resources), {@code scripts/}
     * (run, services, the demo upstream), {@code helm/} (templates and values: what a deployment
     * sets), {@code .ci/} and the two Dockerfiles. Test sources are left out: they set variables for
     * private hubs, and a name only a test uses is no setting. A name is read by its literal (the
     * loaders call {@code raw("INTEGRATION_X", ...)}, the operator has constants, the chart writes
     * {@code INTEGRATION_X:} keys), so matching literals finds every one; a name that only appears
     * in a comment is still documented or the comment fixed, as a reader would look it up too.
     */
    @Test
    void everySettingTheCodeReadsIsInTheConfigurationReferenceAndNoOther() throws IOException {
        Set<String> read = settingsInCode();
        String reference = Files.readString(CONFIGURATION);
        Set<String> documented = names(reference);

        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented);
        assertThat(undocumented)
                .as("INTEGRATION_* variables the code reads that docs/configuration.md does not name")
                .isEmpty();

        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Path document : markdownDocuments()) {
            for (String name : names(Files.readString(document))) {
                if (!read.contains(name)) {
                    unknown.computeIfAbsent(name, n -> new TreeSet<>())
                            .add(ROOT.relativize(document).toString());
                }
            }
        }
        assertThat(unknown)
                .as("INTEGRATION_* variables the documents name but no code reads (renamed or removed?)")
                .isEmpty();
        assertThat(read)
                .as("the scan found the settings (it reads the right directories)")
                .contains(
                        "INTEGRATION_DB_URL",
                        "INTEGRATION_RABBITMQ_QUEUE",
                        "INTEGRATION_KAFKA_TOPIC",
                        "INTEGRATION_CIRCUIT_REFRESH_SEC")
                .hasSizeGreaterThan(40);
    }

    @Test
    void noDocumentReferencesADesignSectionAnIssueOrAPathOutsideTheRepository() throws IOException {
        List<Path> documents = new ArrayList<>(markdownDocuments());
        Path notes = ROOT.resolve("helm/integration-hub/templates/NOTES.txt");
        if (Files.exists(notes)) {
            documents.add(notes);
        }
        List<String> found = new ArrayList<>();
        for (Path document : documents) {
            List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (Map.Entry<String, Pattern> reference : FOREIGN_REFERENCES.entrySet()) {
                    Matcher m = reference.getValue().matcher(lines.get(i));
                    if (m.find()) {
                        found.add(ROOT.relativize(document) + ":" + (i + 1) + ": " + reference.getKey() + ": '"
                                + m.group() + "'");
                    }
                }
            }
        }
        assertThat(found)
                .as("references a reader of the repository cannot follow")
                .isEmpty();
        assertThat(documents.stream().map(d -> ROOT.relativize(d).toString()))
                .contains("README.md", "docs/architecture.md", "docs/configuration.md", "bench/README.md");
    }

    /** The directory holding {@code mvnw}, walking up from where the tests run (the module directory). */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir.normalize();
            }
        }
        throw new IllegalStateException(
                "no directory holding mvnw above " + Path.of("").toAbsolutePath());
    }

    /**
     * Every Markdown file of the repository (README, docs/, bench/, proto/, the chart's, any added
     * later) except generated ones: build output, local state and the benchmark results.
     */
    private static List<Path> markdownDocuments() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> {
                        String relative = ROOT.relativize(p).toString().replace('\\', '/');
                        return !relative.startsWith(".")
                                && !relative.contains("/target/")
                                && !relative.startsWith("target/")
                                && !relative.startsWith("bench/results/")
                                && !relative.contains("/node_modules/");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Link(String where, String target) {}

    /** The links of a document outside fenced code blocks and inline code. */
    private static List<Link> links(Path document) {
        List<Link> links = new ArrayList<>();
        List<String> lines = lines(document);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                links.add(new Link(ROOT.relativize(document) + ":" + (i + 1), m.group(1)));
            }
        }
        return links;
    }

    private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

    /** The anchors a forge gives the document's headings: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    private static Set<String> anchors(Path document) {
        return ANCHORS.computeIfAbsent(document, d -> {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : lines(d)) {
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                Matcher m = HEADING.matcher(line);
                if (!fenced && m.matches()) {
                    String slug = m.group(2)
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^\\p{L}\\p{N} _-]", "")
                            .replace(' ', '-');
                    int n = seen.merge(slug, 1, Integer::sum);
                    anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
                }
            }
            return anchors;
        });
    }

    private static Set<String> settingsInCode() throws IOException {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> top = Files.list(ROOT)) {
            top.filter(dir -> Files.isDirectory(dir.resolve("src/main")))
                    .forEach(dir -> roots.add(dir.resolve("src/main")));
        }
        for (String shipped : List.of("scripts", "helm", ".ci", "data-plane/Dockerfile", "control-plane/Dockerfile")) {
            roots.add(ROOT.resolve(shipped));
        }
        assertThat(roots)
                .as("module sources found")
                .contains(ROOT.resolve("data-plane/src/main"), ROOT.resolve("control-plane/src/main"));
        Set<String> names = new TreeSet<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("/target/"))
                        .toList()) {
                    names.addAll(names(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return names;
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = SETTING.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static List<String> lines(Path document) {
        try {
            return Files.readAllLines(document, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README sends readers into docs/, and --help sends them to a tool's page there: a link that
 * leads nowhere is a broken promise. docs/cli-contract.md is the contract's authoritative text, so
 * an option a tool accepts but the contract leaves out (or one the contract lists that no tool
 * has) is a broken contract.
 */
class DocsTest {
    private static final Path ROOT = root();
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdownFiles()) {
            for (String target : links(file)) {
                String problem = problem(file, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(file) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void theReadmeStaysShort() throws IOException {
        long size = Files.size(ROOT.resolve("README.md"));
        assertTrue(size <= 15 * 1024, "README.md is " + size + " bytes; the reference belongs in docs/ (at most 15360)");
    }

    @ParameterizedTest(name = "{0} --help links to its page")
    @ValueSource(strings = {"bucketmapper", "tokenmaker", "taskmaker"})
    void helpEndsWithALinkToTheToolsPageOfTheDocs(String tool) throws IOException {
        String usage = commandLine(tool).getUsageMessage(CommandLine.Help.Ansi.OFF).strip();
        String last = usage.substring(usage.lastIndexOf('\n') + 1).strip();
        String url = last.substring(last.lastIndexOf(' ') + 1);
        assertEquals(Cli.docsLink(tool), url, "--help's last line: " + last);
        String blob = "/blob/main/";
        assertTrue(url.startsWith("https://") && url.contains(blob), "not an absolute link into the repository: " + url);
        String target = url.substring(url.indexOf(blob) + blob.length());
        String problem = problem(ROOT.resolve("README.md"), target);
        assertTrue(problem == null, tool + " --help links to " + target + ": " + problem);
    }

    @ParameterizedTest(name = "{0}''s options as --help shows them")
    @ValueSource(strings = {"bucketmapper", "tokenmaker", "taskmaker"})
    void theContractListsExactlyTheOptionsHelpShows(String tool) throws IOException {
        Set<String> shown = commandLine(tool).getCommandSpec().options().stream()
                .filter(option -> !option.hidden())
                .map(OptionSpec::names).flatMap(Stream::of)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<String>> sections = sections(ROOT.resolve("docs/cli-contract.md"));
        Set<String> documented = new TreeSet<>();
        for (String heading : List.of("Options shared by every tool", tool + " options")) {
            assertTrue(sections.containsKey(heading), "docs/cli-contract.md has no section \"" + heading + "\"");
            documented.addAll(tableOptions(sections.get(heading)));
        }
        Set<String> undocumented = new TreeSet<>(shown);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(shown);
        assertTrue(undocumented.isEmpty() && unknown.isEmpty(), tool + ": --help shows options docs/cli-contract.md does not list: "
                + undocumented + "; docs/cli-contract.md lists options --help does not show: " + unknown);
    }

    @Test
    void slugsFollowGitHubsRules() {
        assertEquals("which-grant-set-a-token-has-and-moving-to-the-new-one",
                slug("Which grant set a token has, and moving to the new one"));
        assertEquals("multiapp_-and-the-slack-secret", slug("`multiapp_` and the Slack secret"));
        assertEquals("the-jbang-launcher", slug("The ./jbang launcher"));
        assertEquals("the-generated-tasks-cpu", slug("The generated tasks' CPU"));
    }

    /** Why a link does not resolve, or null if it does. Absolute URLs are not followed. */
    private static String problem(Path from, String target) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        return anchors(file).contains(anchor) ? null : "no heading with the anchor #" + anchor + " in " + ROOT.relativize(file);
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** Link targets outside code, where GitHub renders them as links. */
    private static List<String> links(Path file) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(file)) {
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives a file's headings; a repeated heading gets -1, -2, ... */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(file)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: its text lower-cased, punctuation but - and _ dropped, spaces to -. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase().replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** Each heading's text and the lines under it, up to the next heading of any level. */
    private static Map<String, List<String>> sections(Path file) throws IOException {
        Map<String, List<String>> sections = new HashMap<>();
        List<String> current = null;
        for (String line : prose(file)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                current = new ArrayList<>();
                sections.put(heading.group(2), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    /**
     * The options a table row names: the backtick spans of its first cell before any parenthesis
     * (the explanation may name other options), each span's first word if it is a flag.
     */
    private static Set<String> tableOptions(List<String> lines) {
        Set<String> options = new TreeSet<>();
        for (String line : lines) {
            if (!line.startsWith("|")) {
                continue;
            }
            String cell = line.substring(1).split("\\|", 2)[0];
            int paren = cell.indexOf('(');
            Matcher code = INLINE_CODE.matcher(paren < 0 ? cell : cell.substring(0, paren));
            while (code.find()) {
                String word = code.group().replace("`", "").strip().split("\\s+")[0];
                if (word.startsWith("-")) {
                    options.add(word);
                }
            }
        }
        return options;
    }

    /** The file's lines with fenced code blocks left out. */
    private static List<String> prose(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        assertFalse(fenced, ROOT.relativize(file) + " has an unclosed code fence");
        return lines;
    }

    /** A tool's command line as its main() builds it; the tools live in the unnamed package. */
    private static CommandLine commandLine(String tool) {
        try {
            Object command = Class.forName(tool).getConstructor(Map.class).newInstance(Map.of());
            return Cli.commandLine(command);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot make the command of " + tool + ": " + e, e);
        }
    }

    /** The checkout: the test runner may be started from any folder inside it. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("jbang-catalog.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside an influx-tools checkout");
    }
}

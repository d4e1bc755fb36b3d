package packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is written in more than one place because each way of running a tool reads its own file:
 * the JVM options (JBang reads the script, the image its entry point, Kubernetes the CronJob) and
 * the one-line description (JBang reads the script, `jbang alias list` the catalog).
 */
class ConsistencyTest {
    private static final Path ROOT = root();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bucketmapper", "tokenmaker", "taskmaker"})
    void theCatalogDescribesEachToolAsItsScriptDoes(String tool) throws IOException {
        JsonObject catalog = Json.parse(Files.readString(ROOT.resolve("jbang-catalog.json"))).asObject();
        assertEquals(directive(tool, "DESCRIPTION"),
                catalog.get("aliases").asObject().get(tool).asObject().getString("description", ""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bucketmapper", "tokenmaker", "taskmaker"})
    void everyWayOfRunningAToolGivesItTheSameJvmOptions(String tool) throws IOException {
        // -Xlog:cds=off goes with JBang's //CDS only; the image records no archive at run time.
        String options = directive(tool, "RUNTIME_OPTIONS").replace(" -Xlog:cds=off", "");
        assertEquals(options, match("deploy/entrypoint.sh", "JAVA_OPTS=\\$\\{JAVA_OPTS:-(.*)\\}"));
        assertEquals(options, match("deploy/launch.sh", "JAVA_OPTS=\\$\\{JAVA_OPTS:-(.*)\\}"));
        String cronJob = match("deploy/cronjob.yaml", "name: JAVA_OPTS\\s*\\n\\s*value: \"(.*)\"");
        assertTrue(cronJob.startsWith(options), "deploy/cronjob.yaml's JAVA_OPTS '" + cronJob + "' must start with '" + options + "'");
    }

    private static String directive(String tool, String name) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(tool + ".java"));
        return lines.stream().filter(line -> line.startsWith("//" + name + " ")).findFirst()
                .map(line -> line.substring(name.length() + 3).strip())
                .orElseThrow(() -> new AssertionError(tool + ".java has no //" + name));
    }

    private static String match(String file, String regex) throws IOException {
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(ROOT.resolve(file)));
        assertTrue(matcher.find(), file + " does not match " + regex);
        return matcher.group(1).strip();
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

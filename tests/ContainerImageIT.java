import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import cli.Version;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import influx.InfluxApi;
import influx.Org;

/**
 * The CronJob image (Dockerfile) run the way deploy/cronjob.yaml runs it: its JAVA_OPTS, its token
 * variables (each filled with the token tokenmaker makes for that tool), its memory limit, as the
 * image's own user, against a real InfluxDB in a container, on a Docker network that
 * reaches that server and nothing else, so a run that needed a download would fail.
 * INFLUX_TOOLS_IMAGE names the image to check (.ci/run builds one; docs/development.md); without
 * it these tests are skipped, saying so. With it, a missing Docker engine fails them.
 */
class ContainerImageIT {
    static final String IMAGE = System.getenv("INFLUX_TOOLS_IMAGE");
    static final String SERVER_ALIAS = "influxdb";
    static final Path CRONJOB = Path.of("deploy", "cronjob.yaml");

    static Network isolated;
    static InfluxDBContainer<?> influxdb;
    static String operatorToken = "operator-" + UUID.randomUUID();
    static Admin admin;
    static InfluxApi operator;
    static CronJobSpec cronJob;

    /**
     * What of deploy/cronjob.yaml shapes a run: the JVM options, the memory limit, and the token
     * variables its Secret fills (NAME_TOKEN holds the token tokenmaker makes --for name).
     */
    record CronJobSpec(String javaOpts, long memoryBytes, boolean runAsNonRoot, List<String> tokenVariables) {
        static CronJobSpec read(Path yaml) throws IOException {
            String text = Files.readString(yaml);
            Matcher javaOpts = Pattern.compile("- name: JAVA_OPTS\\s+value: \"([^\"]*)\"").matcher(text);
            Matcher memory = Pattern.compile("limits:\\s+memory: (\\d+)Mi").matcher(text);
            assertTrue(javaOpts.find() && memory.find(), "JAVA_OPTS or the memory limit not found in " + yaml);
            Matcher secret = Pattern.compile("- name: (\\w+_TOKEN)\\s+valueFrom:\\s+secretKeyRef:").matcher(text);
            List<String> tokens = new ArrayList<>();
            while (secret.find()) {
                tokens.add(secret.group(1));
            }
            assertFalse(tokens.isEmpty(), "no token variable from a Secret in " + yaml);
            return new CronJobSpec(javaOpts.group(1), Long.parseLong(memory.group(1)) * 1024 * 1024,
                    text.contains("runAsNonRoot: true"), List.copyOf(tokens));
        }
    }

    @BeforeAll
    static void serverOnAnIsolatedNetwork() throws IOException {
        if (IMAGE == null || IMAGE.isBlank()) {
            return;
        }
        cronJob = CronJobSpec.read(CRONJOB);
        // Internal: no route out of it, so only the server is reachable from the image's container.
        isolated = Network.builder().createNetworkCmdModifier(cmd -> cmd.withInternal(true)).build();
        influxdb = DockerServer.container(operatorToken);
        influxdb.start();
        DockerClient docker = DockerClientFactory.instance().client();
        docker.connectToNetworkCmd().withContainerId(influxdb.getContainerId()).withNetworkId(isolated.getId())
                .withContainerNetwork(new ContainerNetwork().withAliases(SERVER_ALIAS)).exec();
        assertTrue(docker.inspectNetworkCmd().withNetworkId(isolated.getId()).exec().getInternal(), "the network must be internal");
        admin = Admin.of(influxdb.getUrl(), operatorToken);
        operator = admin.api();
    }

    @AfterAll
    static void stop() {
        if (influxdb != null) {
            influxdb.stop();
        }
        if (isolated != null) {
            isolated.close();
        }
    }

    static void requireImage() {
        assumeTrue(IMAGE != null && !IMAGE.isBlank(), "INFLUX_TOOLS_IMAGE names no image to check (.ci/run builds and names one)");
    }

    @Test
    void tokenmakerThenTheDefaultCommandSetsUpTheOrgAndExitsZero() {
        requireImage();
        Org org = admin.createOrg("image-" + UUID.randomUUID().toString().substring(0, 8));
        operator.createBucket(org.id(), "shop", 86_400, "");

        Map<String, String> env = env(org);
        env.putAll(tokensFromTokenmaker(org));
        Run cron = run(env);
        assertEquals(0, cron.exitCode(), cron.stderr());
        assertTrue(cron.stderr().contains("influx-tools: bucketmapper succeeded")
                && cron.stderr().contains("influx-tools: taskmaker succeeded"), cron.stderr());
        assertTrue(operator.dbrps(org.id()).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("shop")),
                "bucketmapper mapped shop");
        assertEquals(4, operator.tasks(org.id()).size(), "taskmaker made the task that watches the applications and three Slack tasks");

        Run again = run(env, "--json");
        assertEquals(0, again.exitCode(), again.stderr());
        String[] documents = again.stdout().strip().split("\n");
        assertEquals(2, documents.length, again.stdout());
        for (String document : documents) {
            assertEquals(0, Json.parse(document).asObject().get("summary").asObject().getInt("created", -1), document);
        }
    }

    /** The worst exit code, not the last one: the first tool's token is refused (3), the second tool succeeds. */
    @Test
    void aFailingToolGivesTheWorstExitCode() {
        requireImage();
        Org org = admin.createOrg("image-fail-" + UUID.randomUUID().toString().substring(0, 8));
        operator.createBucket(org.id(), "shop", 86_400, "");
        Map<String, String> env = env(org);
        env.putAll(tokensFromTokenmaker(org));
        env.put("BUCKETMAPPER_TOKEN", "revoked-token");
        Run run = run(env);
        assertEquals(3, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("influx-tools: bucketmapper FAILED with exit code 3")
                && run.stderr().contains("influx-tools: taskmaker succeeded"), run.stderr());
    }

    @Test
    void runsAsANonRootUserAsRunAsNonRootRequires() {
        requireImage();
        assertTrue(cronJob.runAsNonRoot(), "deploy/cronjob.yaml sets runAsNonRoot");
        String user = DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec().getConfig().getUser();
        // Kubernetes can only check a numeric user without looking into the image's passwd.
        assertTrue(user != null && user.matches("[0-9]+") && !user.equals("0"), "image user: " + user);
        Run id = run(Map.of(), List.of("id", "-u"), List.of());
        assertEquals(0, id.exitCode(), id.stderr());
        assertNotEquals("0", id.stdout().strip());
        assertEquals(user, id.stdout().strip());
    }

    @Test
    void eachToolAnswersOnItsOwnWithoutAServer() {
        requireImage();
        for (String tool : List.of("bucketmapper", "tokenmaker", "taskmaker")) {
            Run version = run(Map.of(), tool, "--version");
            assertEquals(0, version.exitCode(), version.stderr());
            assertTrue(version.stdout().startsWith(tool + " " + Version.NUMBER + " "), version.stdout());
        }
    }

    @Test
    void theToolsRunFromTheAotCachesTrainedWhenTheImageWasBuilt() {
        requireImage();
        Run java = run(Map.of(), List.of("java"), List.of("--version"));
        assertEquals(0, java.exitCode(), java.stderr());
        Matcher feature = Pattern.compile("^\\S+ (\\d+)").matcher(java.stdout());
        assertTrue(feature.find(), java.stdout());
        assumeTrue(Integer.parseInt(feature.group(1)) >= 25, "the image's JVM has no AOT cache (JDK 25+): " + java.stdout().lines().findFirst().orElse(""));
        Org org = admin.createOrg("image-aot-" + UUID.randomUUID().toString().substring(0, 8));
        operator.createBucket(org.id(), "shop", 86_400, "");
        Map<String, String> env = env(org);
        env.putAll(tokensFromTokenmaker(org));
        // AOTMode=on turns a cache the JVM would pass over (another JVM, a changed jar) into a failed start.
        env.put("JAVA_OPTS", cronJob.javaOpts() + " -XX:AOTMode=on");
        Run scheduled = run(env);
        assertEquals(0, scheduled.exitCode(), scheduled.stderr());
        assertTrue(scheduled.stderr().contains("influx-tools: taskmaker succeeded"), scheduled.stderr());
        env.put("INFLUXDB_TOKEN", operatorToken);
        Run tokenmaker = run(env, "tokenmaker", "--for", "taskmaker", "--dry-run");
        assertEquals(0, tokenmaker.exitCode(), tokenmaker.stderr());
    }

    /** The CronJob's plain settings, pointed at the test server's org; the tokens come separately. */
    private static Map<String, String> env(Org org) {
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", "http://" + SERVER_ALIAS + ":" + InfluxDBContainer.INFLUXDB_PORT);
        env.put("INFLUXDB_ORG", org.name());
        env.put("JAVA_OPTS", cronJob.javaOpts());
        return env;
    }

    /** Each of the CronJob's token variables, filled as docs/running.md says: by `docker run IMAGE tokenmaker --for TOOL`. */
    private static Map<String, String> tokensFromTokenmaker(Org org) {
        Map<String, String> tokens = new HashMap<>();
        for (String variable : cronJob.tokenVariables()) {
            String purpose = variable.substring(0, variable.length() - "_TOKEN".length()).toLowerCase(java.util.Locale.ROOT);
            Map<String, String> env = env(org);
            env.put("INFLUXDB_TOKEN", operatorToken);
            Run made = run(env, "tokenmaker", "--for", purpose, "--json");
            assertEquals(0, made.exitCode(), made.stderr());
            tokens.put(variable, createdToken(made));
        }
        return tokens;
    }

    /** The created token of a tokenmaker --json run; never part of a failure message. */
    private static String createdToken(Run made) {
        JsonObject report = Json.parse(made.stdout().strip()).asObject();
        for (JsonValue action : report.get("actions").asArray()) {
            JsonValue token = action.asObject().get("token");
            if (token != null && token.isString()) {
                return token.asString();
            }
        }
        throw new AssertionError("tokenmaker --json created no token");
    }

    record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(Map<String, String> env, String... command) {
        return run(env, null, List.of(command));
    }

    /** One container of the image, as the CronJob's pod runs it; entrypoint null keeps the image's. */
    private static Run run(Map<String, String> env, List<String> entrypoint, List<String> command) {
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))) {
            container.withNetwork(isolated).withEnv(env).withStartupCheckStrategy(new UntilExited().withTimeout(Duration.ofMinutes(3)))
                    .withCreateContainerCmdModifier(cmd -> {
                        cmd.getHostConfig().withMemory(cronJob.memoryBytes());
                        if (entrypoint != null) {
                            cmd.withEntrypoint(entrypoint);
                        }
                    });
            if (!command.isEmpty()) {
                container.withCommand(command.toArray(String[]::new));
            }
            container.start();
            Long exit = container.getCurrentContainerInfo().getState().getExitCodeLong();
            return new Run(exit == null ? -1 : exit.intValue(), container.getLogs(OutputType.STDOUT), container.getLogs(OutputType.STDERR));
        }
    }

    /** A started container counts as done once it has exited, whatever its exit code (the test checks that). */
    static final class UntilExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            var state = getCurrentState(docker, containerId);
            return Boolean.TRUE.equals(state.getRunning()) || state.getFinishedAt() == null || state.getFinishedAt().startsWith("0001-")
                    ? StartupStatus.NOT_YET_KNOWN
                    : StartupStatus.SUCCESSFUL;
        }
    }
}

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Telegraf (built by tests/build-telegraf.sh), run once per sample the way a DaemonSet
 * pod runs it: its kube_inventory input reads pods from a {@link KubernetesApi}, and its output
 * either writes to InfluxDB itself (outputs.influxdb_v2) or leaves the line protocol in a file
 * (outputs.file), for samples whose timestamps a test sets. A Telegraf that cannot be built fails
 * the test; it is never skipped.
 */
public final class Telegraf {
    private static Path binary;

    /**
     * One agent: its host tag ({@code null}: {@code omit_hostname = true}), its cluster global tag
     * ({@code null}: none), and the namespaces it reads, one kube_inventory input each.
     */
    public record Agent(String hostname, String cluster, List<String> namespaces) {}

    private final KubernetesApi kubernetes;
    private final Path caCert;

    public Telegraf(KubernetesApi kubernetes, Path caCert) {
        this.kubernetes = kubernetes;
        this.caCert = caCert;
    }

    /** Builds Telegraf on first use (a few minutes) and answers the cached binary. */
    public static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Path script = Path.of(System.getProperty("influx.tools.root", "."), "tests", "build-telegraf.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no Telegraf: run the tests from the repository root (tests/build-telegraf.sh builds it)");
        }
        try {
            Process build = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String path = new String(build.getInputStream().readAllBytes()).strip();
            if (build.waitFor() != 0 || path.isEmpty() || !Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException("building Telegraf with " + script + " failed (see its output above)");
            }
            binary = Path.of(path);
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One gather of the agent, its line protocol as Telegraf's influx serializer wrote it. */
    public List<String> gather(Agent agent) {
        try {
            Path out = Files.createTempFile("influx-tools-telegraf-", ".lp");
            try {
                run(agent, """
                        [[outputs.file]]
                          files = ["%s"]
                          data_format = "influx"
                        """.formatted(out));
                return Files.readAllLines(out).stream().filter(line -> !line.isBlank()).toList();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One gather of the agent, written by Telegraf itself into the bucket of each namespace. */
    public void write(Agent agent, String influxUrl, String token, String org) {
        // The token goes through the environment, as a Kubernetes Secret would pass it, never a file.
        run(agent, """
                [[outputs.influxdb_v2]]
                  urls = ["%s"]
                  token = "${INFLUX_TOOLS_TELEGRAF_TOKEN}"
                  organization = "%s"
                  bucket_tag = "namespace"
                """.formatted(influxUrl, org), "INFLUX_TOOLS_TELEGRAF_TOKEN", token);
    }

    /** A disk input gather of this machine (the schema's witness: which tags and fields Telegraf writes). */
    public List<String> gatherDisks() {
        return gather(new Agent(null, null, List.of()));
    }

    private void run(Agent agent, String output, String... env) {
        StringBuilder config = new StringBuilder();
        config.append("[agent]\n  interval = \"10s\"\n  flush_interval = \"10s\"\n");
        if (agent.hostname() == null) {
            config.append("  omit_hostname = true\n");
        } else {
            config.append("  hostname = \"").append(agent.hostname()).append("\"\n");
        }
        if (agent.cluster() != null) {
            config.append("\n[global_tags]\n  cluster = \"").append(agent.cluster()).append("\"\n");
        }
        for (String namespace : agent.namespaces()) {
            config.append("""

                    [[inputs.kube_inventory]]
                      url = "%s"
                      bearer_token = "%s"
                      namespace = "%s"
                      resource_include = ["pods"]
                      tls_ca = "%s"
                      response_timeout = "30s"
                    """.formatted(kubernetes.url(), kubernetes.bearerTokenFile(), namespace, caCert));
        }
        if (agent.namespaces().isEmpty()) {
            config.append("\n[[inputs.disk]]\n  ignore_fs = []\n");
        }
        config.append('\n').append(output);
        Path file = null;
        Path log = null;
        try {
            file = Files.createTempFile("influx-tools-telegraf-", ".conf");
            log = Files.createTempFile("influx-tools-telegraf-", ".log");
            Files.writeString(file, config);
            List<String> command = new ArrayList<>(List.of(binary().toString(), "--config", file.toString(), "--once"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("INFLUX") || name.startsWith("KUBERNETES"));
            for (int i = 0; i + 1 < env.length; i += 2) {
                builder.environment().put(env[i], env[i + 1]);
            }
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("telegraf --once did not finish within 60 s:\n" + Files.readString(log));
            }
            String printed = Files.readString(log);
            // --once exits 0 even when an input or an output failed: its log says so ("E! ...").
            if (process.exitValue() != 0 || printed.lines().anyMatch(line -> line.contains(" E! "))) {
                throw new AssertionError("telegraf --once failed (exit " + process.exitValue() + "):\n" + printed);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run telegraf: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            for (Path path : new Path[] {file, log}) {
                if (path != null) {
                    path.toFile().delete();
                }
            }
        }
    }
}

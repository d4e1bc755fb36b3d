import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An influxd process built by tests/build-influxd.sh, on a free loopback port with its own data
 * folder. It can be stopped and started again on the same data, for the fault tests.
 */
public final class LocalInfluxd {
    /**
     * How a server is started: token hashing (the default from 2.9; from 2.8 on request; absent
     * before) and TLS are off unless asked for; flags are any more of influxd's own.
     */
    public record Options(boolean hashedTokens, Path tlsCert, Path tlsKey, List<String> flags) {
        public static Options defaults() {
            return new Options(false, null, null, List.of());
        }

        public Options withFlags(List<String> more) {
            return new Options(hashedTokens, tlsCert, tlsKey, more);
        }
    }

    private final Path binary;
    private final Options options;
    private final Path home;
    private final int port;
    private final Thread destroyOnExit = new Thread(this::destroy);
    private Process process;

    private LocalInfluxd(Path binary, Options options, Path home, int port) {
        this.binary = binary;
        this.options = options;
        this.home = home;
        this.port = port;
    }

    /**
     * INFLUXD_BIN if set (and then it must be there); otherwise the binary tests/build-influxd.sh
     * caches, built on first use.
     */
    static synchronized Path binary() {
        String configured = System.getenv("INFLUXD_BIN");
        if (configured != null && !configured.isBlank()) {
            Path binary = Path.of(configured);
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(NO_SERVER + " INFLUXD_BIN points at " + binary + ", which is not an executable.");
            }
            return binary;
        }
        Path script = Path.of(System.getProperty("influx.tools.root", "."), "tests", "build-influxd.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(NO_SERVER + " Run the tests from the repository root, or set INFLUXD_BIN.");
        }
        // The script's progress lines (stderr, passed through) say how far a first build is along.
        System.out.println("  influxd: from " + script + " (built from source on first use, then cached)");
        try {
            Process build = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String path = new String(build.getInputStream().readAllBytes()).strip();
            if (build.waitFor() != 0 || path.isEmpty() || !Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException(NO_SERVER + " Building influxd with " + script + " failed (see its output above).");
            }
            return Path.of(path);
        } catch (IOException e) {
            throw new IllegalStateException(NO_SERVER + " Cannot run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Map<Path, String> VERSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The release a binary reports ("InfluxDB v2.7.12 (git: ...)"), e.g. v2.7.12. */
    static String version(Path binary) {
        return VERSIONS.computeIfAbsent(binary, path -> {
            try {
                Process process = new ProcessBuilder(path.toString(), "version").redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes()).strip();
                process.waitFor();
                java.util.regex.Matcher match = java.util.regex.Pattern.compile("\\bv(\\d+\\.\\d+\\.\\d+)\\b").matcher(out);
                if (!match.find()) {
                    throw new IllegalStateException(path + " version printed no release: " + out);
                }
                return "v" + match.group(1);
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + path + " version: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Hashed tokens (--use-hashed-tokens) exist from InfluxDB 2.8 on. */
    static boolean hashedTokensSupported(Path binary) {
        return InfluxServer.atLeast(version(binary), 2, 8);
    }

    private static final String NO_SERVER = "no InfluxDB server for the tests (no INFLUXDB_TEST_URL, no Docker engine,"
            + " no local influxd).";

    static LocalInfluxd start(Path binary, Options options) {
        try {
            Path home = Files.createTempDirectory("influx-tools-influxd-");
            LocalInfluxd server = new LocalInfluxd(binary, options, home, InfluxServer.freePort());
            server.startProcess();
            Runtime.getRuntime().addShutdownHook(server.destroyOnExit);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a folder for influxd: " + e, e);
        }
    }

    public String url() {
        return (options.tlsCert() != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Leaves the server and its data in place when this JVM exits (the sandbox's --keep); answers
     * the pid to stop it with. Its data stays in {@link #dataFolder()}.
     */
    public long keepRunning() {
        Runtime.getRuntime().removeShutdownHook(destroyOnExit);
        return process.pid();
    }

    public Path dataFolder() {
        return home;
    }

    /** Kills the server at once, as a crash would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts it again on the same data and port. */
    public void restart() {
        kill();
        startProcess();
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--bolt-path", home.resolve("influxd.bolt").toString(),
                "--engine-path", home.resolve("engine").toString(),
                "--sqlite-path", home.resolve("influxd.sqlite").toString(),
                "--http-bind-address", "127.0.0.1:" + port,
                "--reporting-disabled",
                "--ui-disabled",
                "--log-level", "warn"));
        if (hashedTokensSupported(binary)) {
            command.add("--use-hashed-tokens=" + options.hashedTokens());
        } else if (options.hashedTokens()) {
            throw new IllegalStateException("influxd " + version(binary) + " cannot hash tokens: that exists from 2.8 on");
        }
        if (options.tlsCert() != null) {
            command.addAll(List.of("--tls-cert", options.tlsCert().toString(), "--tls-key", options.tlsKey().toString()));
        }
        command.addAll(options.flags());
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("influxd.log").toFile()));
        Map<String, String> env = builder.environment();
        // A developer's own INFLUXD_* settings must not leak into the test server.
        env.keySet().removeIf(name -> name.startsWith("INFLUXD_"));
        env.put("INFLUXD_CONFIG_PATH", home.toString());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e, e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String plainUrl = "http://127.0.0.1:" + port;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with " + process.exitValue() + ":\n"
                        + String.join("\n", InfluxServer.tail(home.resolve("influxd.log"), 30)));
            }
            try {
                if (options.tlsCert() != null) {
                    // A TLS server answers plain HTTP with 400; an answer at all means it is up.
                    HttpResponse<String> response = InfluxServer.send(plainUrl, "GET", "/health", null, null);
                    if (response.statusCode() > 0) {
                        return;
                    }
                } else if (InfluxServer.send(plainUrl, "GET", "/health", null, null).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // Not listening yet.
            }
            sleep(100);
        }
        throw new IllegalStateException("influxd did not become healthy within 60 s:\n"
                + String.join("\n", InfluxServer.tail(home.resolve("influxd.log"), 30)));
    }

    /** Stops the process and removes its data. */
    public void destroy() {
        kill();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temp folder left behind is harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import influx.InfluxApi;
import influx.Org;

/**
 * A real, onboarded InfluxDB 2.x for the whole test run, found in this order:
 * (a) INFLUXDB_TEST_URL, INFLUXDB_TEST_TOKEN, INFLUXDB_TEST_ORG; (b) Testcontainers, where a
 * Docker engine answers; (c) a locally built influxd (tests/build-influxd.sh). With none of them
 * the tests fail, saying how to get one: a missing server never passes as a skip.
 */
public final class InfluxServer {
    /**
     * The InfluxDB release under test: INFLUXD_VERSION (the variable tests/build-influxd.sh reads),
     * else v2.9.1. It picks the local binary and the container image alike.
     */
    public static final String VERSION = version(System.getenv("INFLUXD_VERSION"));
    private static InfluxServer shared;
    private static RuntimeException unavailable;

    private final String url;
    private final String operatorToken;
    private final String orgName;
    private final String description;
    private final LocalInfluxd local;
    private final boolean docker;

    private InfluxServer(String url, String operatorToken, String orgName, String description, LocalInfluxd local) {
        this(url, operatorToken, orgName, description, local, false);
    }

    private InfluxServer(String url, String operatorToken, String orgName, String description, LocalInfluxd local, boolean docker) {
        this.docker = docker;
        this.url = url;
        this.operatorToken = operatorToken;
        this.orgName = orgName;
        this.description = description;
        this.local = local;
    }

    /** The server all tests share; started on first use, stopped when the JVM exits. */
    public static synchronized InfluxServer shared() {
        if (unavailable != null) {
            throw unavailable;
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                unavailable = e;
                throw e;
            }
            System.out.println("  test server: " + shared.description + " at " + shared.url);
        }
        return shared;
    }

    private static InfluxServer start() {
        Map<String, String> env = System.getenv();
        if (env.containsKey("INFLUXDB_TEST_URL")) {
            return new InfluxServer(env.get("INFLUXDB_TEST_URL"), required(env, "INFLUXDB_TEST_TOKEN"),
                    required(env, "INFLUXDB_TEST_ORG"), "external server (INFLUXDB_TEST_URL)", null);
        }
        String token = "operator-" + UUID.randomUUID();
        if (!"false".equals(env.get("INFLUX_TOOLS_TEST_DOCKER")) && DockerServer.available()) {
            String url = DockerServer.start(token);
            return new InfluxServer(url, token, "test-org", "Testcontainers " + DockerServer.image().asCanonicalNameString(), null, true);
        }
        Path binary = LocalInfluxd.binary();
        LocalInfluxd local = LocalInfluxd.start(binary, LocalInfluxd.Options.defaults());
        onboard(local.url(), token, "test-org");
        return new InfluxServer(local.url(), token, "test-org", "local influxd " + binary, local);
    }

    /** A second, separate server with options of its own (hashed tokens, TLS); stop it yourself. */
    public static LocalInfluxd startExtra(LocalInfluxd.Options options, String token) {
        return startExtra(options, token, HttpClient.newHttpClient());
    }

    /** The same, onboarded through a client of the caller's: one that trusts a TLS server's CA. */
    public static LocalInfluxd startExtra(LocalInfluxd.Options options, String token, HttpClient client) {
        LocalInfluxd local = LocalInfluxd.start(LocalInfluxd.binary(), options);
        onboard(client, local.url(), token, "test-org");
        return local;
    }

    /** Whether an environment variable takes part in choosing the test server (for child processes). */
    public static boolean choosesServer(String name) {
        return name.startsWith("INFLUXDB_TEST_") || List.of("INFLUXD_BIN", "INFLUXD_VERSION", "INFLUX_TOOLS_TEST_DOCKER",
                "INFLUX_TOOLS_TEST_IMAGE", "INFLUX_TOOLS_CACHE").contains(name);
    }

    static String version(String configured) {
        if (configured == null || configured.isBlank()) {
            return "v2.9.1";
        }
        String version = configured.strip().startsWith("v") ? configured.strip() : "v" + configured.strip();
        if (!version.matches("v2\\.\\d+\\.\\d+")) {
            throw new IllegalStateException("INFLUXD_VERSION must be an InfluxDB 2.x release such as v2.9.1, not '" + configured + "'");
        }
        return version;
    }

    /** Whether a release (vMAJOR.MINOR.PATCH) is at least MAJOR.MINOR. */
    public static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.substring(1).split("\\.");
        int actualMajor = Integer.parseInt(parts[0]);
        return actualMajor > major || actualMajor == major && Integer.parseInt(parts[1]) >= minor;
    }

    /**
     * The host name under which the server reaches a port on this machine's loopback (a stand-in
     * for a service the server calls, such as Slack): 127.0.0.1 for a local process, Testcontainers'
     * host.testcontainers.internal for a container, with the port exposed to it.
     */
    public String hostReaching(int loopbackPort) {
        return docker ? DockerServer.exposeHostPort(loopbackPort) : "127.0.0.1";
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("INFLUXDB_TEST_URL is set, so " + name + " must be set too");
        }
        return value;
    }

    /** POST /api/v2/setup: the first user, org, bucket and the operator token. */
    static void onboard(String url, String token, String org) {
        onboard(HttpClient.newHttpClient(), url, token, org);
    }

    private static void onboard(HttpClient client, String url, String token, String org) {
        JsonObject body = Json.object()
                .add("username", "admin")
                .add("password", "influx-tools-" + UUID.randomUUID().toString().substring(0, 8))
                .add("org", org)
                .add("bucket", "default_")
                .add("token", token);
        HttpResponse<String> response = send(client, url, "POST", "/api/v2/setup", null, body.toString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("onboarding " + url + " failed: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    static HttpResponse<String> send(String url, String method, String path, String token, String body) {
        return send(HttpClient.newHttpClient(), url, method, path, token, body);
    }

    static HttpResponse<String> send(HttpClient client, String url, String method, String path, String token, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Token " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return url;
    }

    public String operatorToken() {
        return operatorToken;
    }

    public String defaultOrg() {
        return orgName;
    }

    /** The locally started process, for tests that stop and restart it; null otherwise. */
    public LocalInfluxd local() {
        return local;
    }

    /** The operator's view of the server, through our own client. */
    public InfluxApi operatorApi() {
        return api(operatorToken);
    }

    public InfluxApi api(String token) {
        return admin(token).api();
    }

    /** What tests do beyond the tools' API (orgs, secrets, data, forced runs), with this token. */
    public Admin admin(String token) {
        return Admin.of(url, token);
    }

    public Admin operatorAdmin() {
        return admin(operatorToken);
    }

    /** A fresh org of its own for one test, so tests never see each other's objects. */
    public Org newOrg(String prefix) {
        return operatorAdmin().createOrg(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The environment a tool sees when pointed at this server's org with this token. */
    public Map<String, String> env(Org org, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", url);
        env.put("INFLUXDB_ORG", org.name());
        env.put("INFLUXDB_TOKEN", token);
        return env;
    }

    public Map<String, String> env(Org org) {
        return env(org, operatorToken);
    }

    /** Free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}

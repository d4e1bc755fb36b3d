package cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import influx.Org;
import picocli.CommandLine.Option;

/**
 * The options all three tools share, as docs/cli-contract.md defines them. Flags are
 * read by picocli; the environment fallbacks are applied in {@link #resolve} so that tests can
 * hand in an environment of their own.
 */
public class ToolOptions {
    static final String DEFAULT_URL = "http://localhost:8086";

    @Option(names = "--url", paramLabel = "URL",
            description = "InfluxDB URL (env INFLUXDB_URL, INFLUX_HOST; default " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--org", paramLabel = "NAME",
            description = "organisation name (env INFLUXDB_ORG, INFLUX_ORG)")
    String org;

    @Option(names = "--org-id", paramLabel = "ID",
            description = "organisation ID; skips the name lookup (env INFLUXDB_ORG_ID)")
    String orgId;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (env INFLUXDB_TOKEN, INFLUX_TOKEN); never printed")
    String token;

    @Option(names = "--skip-verify", description = "accept any TLS certificate (insecure)")
    boolean skipVerify;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "extra trusted CA certificates (PEM)")
    Path caCert;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "timeout of each HTTP request (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "write requests in flight at once (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for another run of the tool on the same org (default ${DEFAULT-VALUE})")
    int lockWaitSeconds;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "a run lock not renewed for this long was left by a dead run (default ${DEFAULT-VALUE})")
    int lockTimeoutSeconds;

    @Option(names = "--dry-run", description = "print the plan and send no write request")
    boolean dryRun;

    @Option(names = "--force", description = "delete and recreate the objects this tool manages (env FORCE)")
    boolean force;

    @Option(names = "--debug", description = "log HTTP requests on stderr, token redacted (env DEBUG)")
    boolean debug;

    @Option(names = "--json", description = "print one JSON document instead of lines")
    boolean json;

    /** Flags win over the environment; the first environment name found wins over later ones. */
    public Settings resolve(Map<String, String> env) {
        String token = firstOf(this.token, env, "INFLUXDB_TOKEN", "INFLUX_TOKEN")
                .orElseThrow(() -> new UsageException("no token: pass --token or set INFLUXDB_TOKEN"));
        if (token.isBlank()) {
            throw new UsageException("the token is empty: pass --token or set INFLUXDB_TOKEN");
        }
        // An HTTP header cannot carry these, so no server can have issued such a token.
        if (!token.strip().chars().allMatch(c -> c >= ' ' && c < 127)) {
            throw new UsageException("the token contains control or non-ASCII characters; no InfluxDB token does");
        }
        Optional<String> orgId = firstOf(this.orgId, env, "INFLUXDB_ORG_ID").map(String::strip);
        Optional<String> orgName = firstOf(this.org, env, "INFLUXDB_ORG", "INFLUX_ORG").map(String::strip);
        if (orgId.isEmpty() && orgName.isEmpty()) {
            throw new UsageException("no organisation: pass --org NAME or set INFLUXDB_ORG");
        }
        if (orgId.isPresent() && !Org.isId(orgId.get())) {
            throw new UsageException("--org-id must be a 16-digit hex ID, got '" + orgId.get() + "'");
        }
        if (timeoutSeconds < 1) {
            throw new UsageException("--timeout must be at least 1 second");
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new UsageException("--concurrency must be between 1 and 64");
        }
        if (lockWaitSeconds < 0 || lockTimeoutSeconds < 1) {
            throw new UsageException("--lock-wait must be 0 or more, and --lock-timeout at least 1 second");
        }
        if (caCert != null && !Files.isReadable(caCert)) {
            throw new UsageException("cannot read --ca-cert file " + caCert);
        }
        return new Settings(
                baseUrl(firstOf(url, env, "INFLUXDB_URL", "INFLUX_HOST").orElse(DEFAULT_URL)),
                orgName.orElse(null), orgId.orElse(null), token.strip(),
                skipVerify, caCert, Duration.ofSeconds(timeoutSeconds), concurrency,
                dryRun, force || isSet(env, "FORCE"), debug || isSet(env, "DEBUG"), json,
                Duration.ofSeconds(lockWaitSeconds), Duration.ofSeconds(lockTimeoutSeconds));
    }

    /** The server root: http(s), a host, no path beyond "/", no query. */
    static URI baseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("malformed URL '" + text + "': " + e.getReason() + "; expected http://HOST:PORT or https://HOST:PORT");
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null) {
            throw new UsageException("malformed URL '" + text + "': expected http://HOST:PORT or https://HOST:PORT");
        }
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new UsageException("malformed URL '" + text + "': the scheme must be http or https");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("malformed URL '" + text + "': give the server root, without a path such as "
                    + path + " (the tools add /api/v2 themselves)");
        }
        return URI.create(scheme.toLowerCase() + "://" + uri.getRawAuthority());
    }

    private static Optional<String> firstOf(String flag, Map<String, String> env, String... names) {
        if (flag != null) {
            return Optional.of(flag);
        }
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isEmpty();
    }
}

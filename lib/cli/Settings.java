package cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import influx.Connection;

/** The shared options after validation and environment fallbacks: what a run actually uses. */
public record Settings(
        URI url,
        String orgName,
        String orgId,
        String token,
        boolean skipVerify,
        Path caCert,
        Duration timeout,
        int concurrency,
        boolean dryRun,
        boolean force,
        boolean debug,
        boolean json,
        Duration lockWait,
        Duration lockTimeout) {

    /** How the run's HTTP client reaches the server. */
    public Connection connection() {
        return new Connection(url, token, timeout, caCert, skipVerify);
    }

    /** Never let the token reach a log line through an accidental toString(). */
    @Override
    public String toString() {
        return "Settings[url=" + url + ", org=" + (orgName != null ? orgName : orgId) + ", token=<redacted>]";
    }
}

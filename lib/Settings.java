import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

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

    /** A plain client of one server: what tests and the sandbox use to set things up. */
    public static Settings client(URI url, String token, Path caCert) {
        return new Settings(url, null, null, token, false, caCert, Duration.ofSeconds(30), 4, false, false, false, false,
                Duration.ofSeconds(120), Duration.ofSeconds(60));
    }

    /** Never let the token reach a log line through an accidental toString(). */
    @Override
    public String toString() {
        return "Settings[url=" + url + ", org=" + (orgName != null ? orgName : orgId) + ", token=<redacted>]";
    }
}

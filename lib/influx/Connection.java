package influx;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a server is and how to talk to it: its root URL, the token, the time one request may take,
 * and the trust for TLS ({@code caCert} on top of the system's, or none at all with skipVerify).
 */
public record Connection(URI url, String token, Duration timeout, Path caCert, boolean skipVerify) {

    /** Never let the token reach a log line through an accidental toString(). */
    @Override
    public String toString() {
        return "Connection[url=" + url + ", token=<redacted>]";
    }
}

//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5

package cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import com.eclipsesource.json.Json;

/**
 * A run's first request waits for the JDK to load its TLS stack and trust store (needed even for
 * http://), its HTTP client and our JSON parser: about as long as picocli takes to read the command
 * line. On a second core the two overlap. Nothing here is kept or sent; it only loads classes.
 */
final class WarmUp {
    private WarmUp() {}

    /** Starts loading; {@code toolOwn} loads what only this tool needs. Failures are left to the run itself. */
    static void start(Runnable toolOwn) {
        Thread thread = new Thread(() -> {
            try {
                SSLContext tls = SSLContext.getDefault();
                HttpClient.newBuilder().sslContext(tls).build();
                HttpRequest.newBuilder(URI.create("http://localhost/")).header("Accept", "application/json").GET().build();
                HttpResponse.BodyHandlers.ofString();
                Json.parse("{\"warm\":[1,\"up\",true]}");
                toolOwn.run();
            } catch (NoSuchAlgorithmException | RuntimeException ignored) {
                // The run meets the same failure where it can report it.
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}

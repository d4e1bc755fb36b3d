//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5

package influx;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

/**
 * JSON over HTTP to one InfluxDB server: timeouts, bounded retries with jittered backoff, the
 * server's error message on every failure, and a debug trace that never shows the token.
 */
public final class InfluxHttp {
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);
    private static final int ATTEMPTS = 4;
    /** With ATTEMPTS, at most about a second of waiting before a refused connection is reported. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(150);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Pattern TOKEN_FIELD = Pattern.compile("(\"token\"\\s*:\\s*\")[^\"]*(\")");

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final boolean readOnly;
    private final PrintWriter debug;
    private final HttpClient client;
    /** Set when a request gave up on an unreachable server; cleared by the next answer. */
    private final AtomicBoolean serverDown = new AtomicBoolean();

    /**
     * @param readOnly refuse every write: a dry run then cannot change the server, whatever a tool's
     *     planning code does by mistake
     * @param debug where to trace requests, or null
     */
    public InfluxHttp(Connection connection, boolean readOnly, PrintWriter debug) {
        this.base = connection.url();
        this.token = connection.token();
        this.timeout = connection.timeout();
        this.readOnly = readOnly;
        this.debug = debug;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connection.timeout())
                .sslContext(plainHttp(connection) ? Tls.none() : Tls.context(connection.caCert(), connection.skipVerify()))
                .build();
    }

    /** TLS options given with an http:// URL are still checked (a bad --ca-cert file is a usage error). */
    private static boolean plainHttp(Connection connection) {
        return "http".equalsIgnoreCase(connection.url().getScheme()) && connection.caCert() == null && !connection.skipVerify();
    }

    /**
     * Ends the client's selector thread. Left running, it sits in a native poll, and at exit the JVM
     * waits up to 0.3 s for every thread in native code to come back (HotSpot's VM_Exit): a third of
     * a run with nothing to do. JDK 21+ has shutdownNow(); on JDK 17 the selector thread ends when
     * interrupted, and it is found by the client's number, which the JDK puts in both its
     * toString() and the thread's name.
     */
    public void close() {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
            return;
        } catch (ReflectiveOperationException olderJdk) {
            // Java 17: interrupt the thread below.
        }
        String self = client.toString();
        String name = "HttpClient-" + self.substring(self.lastIndexOf('(') + 1, self.length() - 1) + "-SelectorManager";
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        for (int i = 0, n = root.enumerate(threads); i < n; i++) {
            if (threads[i].getName().equals(name)) {
                threads[i].interrupt();
            }
        }
    }

    public JsonValue get(String path) {
        return retrying(() -> exchange("GET", path, null), Optional::empty);
    }

    public JsonValue patch(String path, JsonValue body) {
        return retrying(() -> exchange("PATCH", path, body), Optional::empty);
    }

    public JsonValue delete(String path) {
        return retrying(() -> exchange("DELETE", path, null), Optional::empty);
    }

    /**
     * Creates an object. A POST whose answer was lost may still have created it, so before each
     * retry {@code existing} is asked whether the object is there now; if so, that one is returned.
     */
    public JsonValue create(String path, JsonValue body, Supplier<Optional<JsonObject>> existing) {
        return retrying(() -> exchange("POST", path, body), () -> existing.get().map(JsonValue.class::cast));
    }

    /**
     * A Flux query, answered in CSV. It is a POST, but the tool's own queries only read, so a dry run
     * or a --check may send it too.
     */
    public String query(String path, JsonValue body) {
        JsonValue answer = retrying(() -> exchange("POST", path, body, true), Optional::empty);
        return answer.isString() ? answer.asString() : "";
    }

    /** A POST that must never be repeated, because a repeat would make a second object. */
    public JsonValue createOnce(String path, JsonValue body) {
        try {
            return exchange("POST", path, body);
        } catch (RetryLater e) {
            throw e.failure;
        }
    }

    /**
     * Calls, and on a transient failure pauses and calls again, a bounded number of times.
     * {@code settled} is asked before each repeat whether the first call took effect after all.
     */
    private <T> T retrying(Supplier<T> call, Supplier<Optional<T>> settled) {
        for (int attempt = 1; ; attempt++) {
            try {
                T answer = call.get();
                serverDown.set(false);
                return answer;
            } catch (RetryLater e) {
                if (attempt == ATTEMPTS) {
                    throw e.failure;
                }
                pause(attempt, e.retryAfter);
            } catch (UnreachableException e) {
                if (!e.isTransient() || attempt == ATTEMPTS || serverDown.get()) {
                    // Once one request has waited through all its retries, the others need not:
                    // a run over a thousand buckets against a dead server ends in seconds.
                    if (e.isTransient()) {
                        serverDown.set(true);
                    }
                    throw e;
                }
                pause(attempt, null);
            }
            Optional<T> done = settled.get();
            if (done.isPresent()) {
                return done.get();
            }
        }
    }

    private JsonValue exchange(String method, String path, JsonValue body) {
        return exchange(method, path, body, method.equals("GET"));
    }

    private JsonValue exchange(String method, String path, JsonValue body, boolean onlyReads) {
        String payload = body == null ? null : body.toString();
        if (readOnly && !onlyReads) {
            throw new IllegalStateException("dry run: refusing to send " + method + " " + path);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Token " + token)
                .header("Accept", "application/json");
        if (payload != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, payload == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(payload));
        // Secret values (webhook URLs are credentials) never reach the trace.
        trace("> " + method + " " + path + (payload == null ? "" : path.endsWith("/secrets") ? " {<secret values redacted>}" : " " + payload));
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            trace("< " + method + " " + path + " failed: " + e);
            TransportFailure failure = TransportFailure.of(e, base.getHost(), timeout);
            throw new UnreachableException("cannot reach InfluxDB at " + base + ": " + redact(failure.cause()),
                    failure.isTransient(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while talking to InfluxDB at " + base, false, e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        trace("< " + response.statusCode() + " " + method + " " + path + " (" + millis + " ms) " + response.body());
        return parse(interpret(method, path, response));
    }

    private String interpret(String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status / 100 == 2) {
            return text;
        }
        JsonValue json = parse(text);
        String code = "";
        String message = text.strip();
        if (json.isObject()) {
            code = json.asObject().getString("code", "");
            message = json.asObject().getString("message", message);
        }
        ApiException failure = new ApiException(method, path, status, code, redact(message));
        if (RETRYABLE_STATUS.contains(status)) {
            throw new RetryLater(failure, retryAfter(response));
        }
        throw failure;
    }

    private static JsonValue parse(String text) {
        if (text.isBlank()) {
            return Json.NULL;
        }
        try {
            return Json.parse(text);
        } catch (ParseException notJson) {
            return Json.value(text);
        }
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After")
                .flatMap(value -> {
                    try {
                        return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
                    } catch (NumberFormatException dateFormOrJunk) {
                        return Optional.empty();
                    }
                })
                .map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait)
                .orElse(null);
    }

    private static void pause(int attempt, Duration retryAfter) {
        long ceiling = FIRST_BACKOFF.toMillis() << (attempt - 1);
        // Full jitter: overlapping runs (two CronJob pods) must not retry in lockstep.
        long millis = retryAfter != null ? retryAfter.toMillis() : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting to retry", false, e);
        }
    }

    private void trace(String line) {
        if (debug != null) {
            synchronized (debug) {
                debug.println("debug: " + redact(line));
                debug.flush();
            }
        }
    }

    /** Removes our own token and any token an answer carries (a created authorization has one). */
    String redact(String text) {
        String cleaned = TOKEN_FIELD.matcher(text).replaceAll("$1<redacted>$2");
        return cleaned.replace(token, "<redacted>");
    }

    /** A retryable status, carried up to the retry loop with the server's Retry-After. */
    private static final class RetryLater extends RuntimeException {
        final ApiException failure;
        final Duration retryAfter;

        RetryLater(ApiException failure, Duration retryAfter) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }
}

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of the real test server that misbehaves on purpose, on 127.0.0.1 only.
 * The first time it sees a request (method, path and body) it applies the next fault of a fixed
 * rotation, kept per method so that writes meet every fault too; a repeat passes untouched. A
 * client that retries correctly therefore always gets through, and one that does not, fails.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault {
        /** Forwarded untouched. */
        PASS,
        /** 503 without forwarding. */
        UNAVAILABLE,
        /** 429 with Retry-After: 1, without forwarding. */
        TOO_MANY_REQUESTS,
        /** Forwarded, but answered only after the client's timeout: the answer is lost. */
        SLOW,
        /** The connection closed without forwarding. */
        DROP,
        /** Forwarded, then the connection closed without the answer: the lost-answer case. */
        DROP_AFTER_FORWARD
    }

    /** Every kind of fault, with clean passes in between, in the order a proxy deals them out. */
    public static final List<Fault> EVERY_FAULT = List.of(Fault.UNAVAILABLE, Fault.PASS, Fault.TOO_MANY_REQUESTS, Fault.SLOW,
            Fault.PASS, Fault.DROP, Fault.DROP_AFTER_FORWARD);

    private static final Set<String> FORWARDED_HEADERS = Set.of("Authorization", "Content-Type", "Accept");
    private static final int THREADS = 16;

    private final URI upstream;
    private final List<Fault> rotation;
    private final Duration slowness;
    private final boolean repeatsPass;
    /** Only requests whose path starts with this meet a fault; the others pass. */
    private final String faultyPaths;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> distinctPerMethod = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

    /**
     * @param rotation the faults handed out in turn to the distinct requests of each method
     * @param slowness how long a SLOW answer is held back; longer than the client's timeout
     */
    public FaultProxy(String upstreamUrl, List<Fault> rotation, Duration slowness) {
        this(upstreamUrl, rotation, slowness, true, "/");
    }

    /** A proxy that applies one fault to every request, repeats included: an outage. */
    public static FaultProxy always(String upstreamUrl, Fault fault) {
        return always(upstreamUrl, fault, Duration.ZERO);
    }

    public static FaultProxy always(String upstreamUrl, Fault fault, Duration slowness) {
        return new FaultProxy(upstreamUrl, List.of(fault), slowness, false, "/");
    }

    /** An outage of one API only: every request to a path starting with {@code pathPrefix}. */
    public static FaultProxy alwaysOn(String upstreamUrl, String pathPrefix, Fault fault) {
        return new FaultProxy(upstreamUrl, List.of(fault), Duration.ZERO, false, pathPrefix);
    }

    private FaultProxy(String upstreamUrl, List<Fault> rotation, Duration slowness, boolean repeatsPass, String faultyPaths) {
        this.upstream = URI.create(upstreamUrl);
        this.rotation = List.copyOf(rotation);
        this.slowness = slowness;
        this.repeatsPass = repeatsPass;
        this.faultyPaths = faultyPaths;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy: " + e, e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How often a fault was applied to requests "METHOD /path" (query left out). */
    public int injected(Fault fault, String method, String path) {
        AtomicInteger count = injected.get(fault + " " + method + " " + path);
        return count == null ? 0 : count.get();
    }

    /** How often a fault was applied to any request. */
    public int injected(Fault fault) {
        return injected.entrySet().stream().filter(entry -> entry.getKey().startsWith(fault + " "))
                .mapToInt(entry -> entry.getValue().get()).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            Fault fault = faultFor(method, uri.getRawPath() + "?" + uri.getRawQuery() + " " + new String(body, StandardCharsets.UTF_8));
            injected.computeIfAbsent(fault + " " + method + " " + uri.getRawPath(), key -> new AtomicInteger()).incrementAndGet();
            switch (fault) {
                case UNAVAILABLE -> respond(exchange, 503, Map.of(), "{\"code\":\"unavailable\",\"message\":\"fault proxy: service unavailable\"}");
                case TOO_MANY_REQUESTS -> respond(exchange, 429, Map.of("Retry-After", "1"),
                        "{\"code\":\"too many requests\",\"message\":\"fault proxy: slow down\"}");
                case DROP -> {
                    // Closing before any response header makes the server drop the connection.
                }
                case DROP_AFTER_FORWARD -> forward(exchange, method, uri, body);
                case SLOW -> {
                    HttpResponse<byte[]> answer = forward(exchange, method, uri, body);
                    Thread.sleep(slowness.toMillis());
                    respond(exchange, answer);
                }
                case PASS -> respond(exchange, forward(exchange, method, uri, body));
            }
        } catch (IOException | InterruptedException clientGone) {
            // The client gave up (a timeout it was meant to hit); nothing left to answer.
        } finally {
            exchange.close();
        }
    }

    private Fault faultFor(String method, String request) {
        if (!request.startsWith(faultyPaths)) {
            return Fault.PASS;
        }
        if (!seen.add(method + " " + request) && repeatsPass) {
            return Fault.PASS;
        }
        int index = distinctPerMethod.computeIfAbsent(method, key -> new AtomicInteger()).getAndIncrement();
        return rotation.get(index % rotation.size());
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method, URI uri, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (FORWARDED_HEADERS.stream().anyMatch(name::equalsIgnoreCase)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void respond(HttpExchange exchange, HttpResponse<byte[]> answer) throws IOException {
        answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
        send(exchange, answer.statusCode(), answer.body());
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String json) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

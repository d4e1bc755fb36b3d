import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import influx.Authorization;

/**
 * A stand-in for the one Kubernetes API call Telegraf's kube_inventory input makes with
 * {@code resource_include = ["pods"]}: {@code GET /api/v1/namespaces/NS/pods} (or
 * {@code /api/v1/pods} for all namespaces, with an optional {@code fieldSelector=spec.nodeName=N}),
 * over HTTPS with a bearer token, as a cluster's API server is reached. It answers what the real
 * one answers: a {@code PodList} of whole {@code Pod} objects (list items carry no kind or
 * apiVersion), a {@code Status} object for 401 and 404. client-go asks for protobuf first and JSON
 * second; like an API server without protobuf support, this one answers JSON, which client-go
 * decodes by the response's Content-Type.
 */
public final class KubernetesApi implements AutoCloseable {
    private static final Pattern NAMESPACED = Pattern.compile("/api/v1/namespaces/([a-z0-9-]+)/pods");

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Path tokenFile;
    private final String token = UUID.randomUUID().toString();
    private final AtomicLong resourceVersion = new AtomicLong(1000);
    private final AtomicInteger podLists = new AtomicInteger();
    private volatile List<JsonObject> pods = List.of();

    public KubernetesApi(TestCertificates certificates) throws IOException {
        TestCertificates.ServerCertificate cert = certificates.server("kubernetes", "IP:127.0.0.1,DNS:localhost");
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(cert)));
        server.createContext("/", this::handle);
        // Several kube_inventory inputs (one per namespace) ask at once, each on a TLS connection of its own.
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "kubernetes-api-stand-in");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        tokenFile = Files.createTempFile("influx-tools-k8s-token-", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token);
    }

    /** The server root, as kube_inventory's {@code url}. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A service account token file, as kube_inventory's {@code bearer_token}. */
    public Path bearerTokenFile() {
        return tokenFile;
    }

    /** The cluster's pods from now on, every namespace; each answer is a new resourceVersion. */
    public void setPods(List<JsonObject> pods) {
        this.pods = List.copyOf(pods);
        resourceVersion.incrementAndGet();
    }

    /** How many pod lists were served with a valid token. */
    public int podListsServed() {
        return podLists.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(authorization)) {
                send(exchange, 401, status(401, "Unauthorized", "Unauthorized"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher namespaced = NAMESPACED.matcher(path);
            String namespace;
            if (namespaced.matches()) {
                namespace = namespaced.group(1);
            } else if (path.equals("/api/v1/pods")) {
                namespace = null;
            } else {
                send(exchange, 404, status(404, "NotFound", "the server could not find the requested resource"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
                return;
            }
            String nodeName = nodeSelector(exchange.getRequestURI().getRawQuery());
            JsonArray items = new JsonArray();
            for (JsonObject pod : pods) {
                JsonObject metadata = pod.get("metadata").asObject();
                JsonObject spec = pod.get("spec").asObject();
                if ((namespace == null || namespace.equals(metadata.getString("namespace", "")))
                        && (nodeName == null || nodeName.equals(spec.getString("nodeName", "")))) {
                    items.add(pod);
                }
            }
            podLists.incrementAndGet();
            send(exchange, 200, Json.object()
                    .add("kind", "PodList")
                    .add("apiVersion", "v1")
                    .add("metadata", Json.object().add("resourceVersion", Long.toString(resourceVersion.get())))
                    .add("items", items));
        }
    }

    /** Only the selector kube_inventory sends with node_name set: spec.nodeName=NAME. */
    private static String nodeSelector(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String parameter : rawQuery.split("&")) {
            String decoded = URLDecoder.decode(parameter, StandardCharsets.UTF_8);
            if (decoded.startsWith("fieldSelector=spec.nodeName=")) {
                return decoded.substring("fieldSelector=spec.nodeName=".length());
            }
        }
        return null;
    }

    private static JsonObject status(int code, String reason, String message) {
        return Json.object().add("kind", "Status").add("apiVersion", "v1").add("metadata", Json.object())
                .add("status", "Failure").add("message", message).add("reason", reason).add("code", code);
    }

    private static void send(HttpExchange exchange, int code, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Audit-Id", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The PEM key pair as a PKCS#12 key store (what JSSE reads), converted by openssl. */
    private static SSLContext sslContext(TestCertificates.ServerCertificate cert) throws IOException {
        Path p12 = cert.key().resolveSibling("kubernetes.p12");
        char[] password = "stand-in".toCharArray();
        List<String> command = new ArrayList<>(List.of("openssl", "pkcs12", "-export", "-in", cert.cert().toString(),
                "-inkey", cert.key().toString(), "-out", p12.toString(), "-passout", "pass:stand-in"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot load the stand-in's certificate: " + e, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            // A temporary file; nothing depends on it any more.
        }
    }
}

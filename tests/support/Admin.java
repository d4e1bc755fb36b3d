import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import influx.ApiException;
import influx.Connection;
import influx.InfluxApi;
import influx.InfluxHttp;
import influx.Org;
import influx.Tls;

/**
 * What tests do to a server and the tools never do: make orgs and users, store secrets, write and
 * query data, (forced task runs: TaskRuns). Each Admin acts with one token; JSON calls go through the tools' own
 * client (so failures are the same ApiException), data goes as text through a plain one.
 */
public final class Admin {
    private final InfluxApi api;
    private final URI url;
    private final String token;
    private final HttpClient text;

    private Admin(InfluxApi api, URI url, String token, HttpClient text) {
        this.api = api;
        this.url = url;
        this.token = token;
        this.text = text;
    }

    /** A client of the server at url with this token, trusting caCert (or only the system) for https. */
    public static Admin of(String url, String token, Path caCert) {
        Connection connection = new Connection(URI.create(url), token, Duration.ofSeconds(30), caCert, false);
        return new Admin(new InfluxApi(new InfluxHttp(connection, false, null)), URI.create(url), token,
                HttpClient.newBuilder().sslContext(Tls.context(caCert, false)).build());
    }

    public static Admin of(String url, String token) {
        return of(url, token, null);
    }

    /** The tools' API client with the same token. */
    public InfluxApi api() {
        return api;
    }

    public Org createOrg(String name) {
        JsonObject created = api.http().create("/api/v2/orgs", Json.object().add("name", name), Optional::empty).asObject();
        return new Org(created.getString("id", ""), created.getString("name", ""));
    }

    public void putSecrets(String orgId, Map<String, String> secrets) {
        api.putSecrets(orgId, secrets);
    }

    /** Writes line protocol with second precision. */
    public void write(String orgId, String bucket, String lineProtocol) {
        send("/api/v2/write?orgID=" + orgId + "&bucket=" + URLEncoder.encode(bucket, StandardCharsets.UTF_8) + "&precision=s",
                "text/plain; charset=utf-8", lineProtocol);
    }

    /** Runs a Flux query and answers the annotated CSV. */
    public String query(String orgId, String flux) {
        return send("/api/v2/query?orgID=" + orgId, "application/vnd.flux", flux);
    }

    /** influxd's own metrics, in the Prometheus text format. */
    public String metrics() {
        return exchange(HttpRequest.newBuilder(url.resolve("/metrics")).timeout(Duration.ofSeconds(60)).GET().build(), "/metrics");
    }

    /** Deletes the points of one measurement between two times (the delete API). */
    public void delete(String orgId, String bucket, java.time.Instant start, java.time.Instant stop, String measurement) {
        send("/api/v2/delete?orgID=" + orgId + "&bucket=" + URLEncoder.encode(bucket, StandardCharsets.UTF_8), "application/json",
                new com.eclipsesource.json.JsonObject().add("start", start.toString()).add("stop", stop.toString())
                        .add("predicate", "_measurement=\"" + measurement + "\"").toString());
    }

    private String send(String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(url.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Token " + token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return exchange(request, path);
    }

    private String exchange(HttpRequest request, String path) {
        try {
            HttpResponse<String> response = text.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                JsonValue json = parse(response.body());
                String code = json.isObject() ? json.asObject().getString("code", "") : "";
                String message = json.isObject() ? json.asObject().getString("message", response.body()) : response.body();
                throw new ApiException(request.method(), path, response.statusCode(), code, message);
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonValue parse(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException notJson) {
            return Json.value(text);
        }
    }
}

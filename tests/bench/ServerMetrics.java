import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** influxd's own count of the API requests it served (Prometheus counter http_api_requests_total). */
public final class ServerMetrics {
    private static final String COUNTER = "http_api_requests_total{";
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI metrics;

    public ServerMetrics(String url) {
        this.metrics = URI.create(url + "/metrics");
    }

    /** The sum over every handler, method and status, leaving out the scrapes and health checks themselves. */
    public long apiRequests() {
        try {
            String text = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            long total = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(COUNTER) && !line.contains("path=\"/metrics\"") && !line.contains("path=\"/health\"")) {
                    total += Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + metrics + ": " + e, e);
        }
    }
}

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in Slack webhook on 127.0.0.1 that records every message InfluxDB posts to it. Its URL is
 * the one the shared test server reaches it at (from a container, through Testcontainers' way to
 * the host, see {@link InfluxServer#hostReaching}); {@link #onLoopback()} makes one for a server
 * process on this machine instead.
 */
public final class SlackReceiver implements AutoCloseable {
    /** One posted message: its text, colour and channel, as slack.message() sends them. */
    public record Message(String channel, String text, String color) {}

    private final HttpServer server;
    private final List<Message> messages = new ArrayList<>();
    private final boolean forSharedServer;

    /** For the shared test server ({@link InfluxServer#shared()}), wherever it runs. */
    public SlackReceiver() throws IOException {
        this(true);
    }

    /** For an influxd process on this machine, such as one of {@link InfluxServer#startExtra}. */
    public static SlackReceiver onLoopback() throws IOException {
        return new SlackReceiver(false);
    }

    private SlackReceiver(boolean forSharedServer) throws IOException {
        this.forSharedServer = forSharedServer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject json = Json.parse(body).asObject();
            JsonObject attachment = json.get("attachments").asArray().get(0).asObject();
            synchronized (messages) {
                messages.add(new Message(json.getString("channel", ""), attachment.getString("text", ""),
                        attachment.getString("color", "")));
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        int port = server.getAddress().getPort();
        String host = forSharedServer ? InfluxServer.shared().hostReaching(port) : "127.0.0.1";
        return "http://" + host + ":" + port + "/services/hook";
    }

    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

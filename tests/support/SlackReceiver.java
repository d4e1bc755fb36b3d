import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in Slack webhook on 127.0.0.1 that records every message InfluxDB posts to it. Its URL is
 * the one the shared test server reaches it at (from a container, through Testcontainers' way to
 * the host, see {@link InfluxServer#hostReaching}); {@link #onLoopback()} makes one for a server
 * process on this machine instead. It can also have a bad day, as Slack has: {@link #answer} and
 * {@link #goDown()}.
 */
public final class SlackReceiver implements AutoCloseable {
    /** One posted message: its text, colour and channel, as slack.message() sends them. */
    public record Message(String channel, String text, String color) {}

    /**
     * What a post gets back. Slack's incoming webhooks answer 200 "ok"; when rate-limited 429 with
     * Retry-After; in an outage 503; a webhook revoked or whose channel is gone 404 "no_service" or
     * 410 "channel_is_archived"; and a post may also never get an answer at all.
     */
    public enum Answer {
        OK(200, "ok"), RATE_LIMITED(429, "rate_limited"), UNAVAILABLE(503, "service_unavailable"),
        REVOKED(404, "no_service"), ARCHIVED(410, "channel_is_archived"), NO_ANSWER(0, "");

        final int status;
        final String body;

        Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private final List<Message> messages = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final boolean forSharedServer;
    // Posts left without an answer wait on their own threads, so that others are still answered.
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final int port;
    private volatile Answer answer = Answer.OK;
    private volatile CountDownLatch unanswered = new CountDownLatch(1);
    private HttpServer server;

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
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int on) throws IOException {
        HttpServer listening = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
        listening.setExecutor(handlers);
        listening.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.incrementAndGet();
            Answer now = answer;
            if (now == Answer.NO_ANSWER) {
                try {
                    unanswered.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (now == Answer.OK) {
                JsonObject json = Json.parse(body).asObject();
                JsonObject attachment = json.get("attachments").asArray().get(0).asObject();
                synchronized (messages) {
                    messages.add(new Message(json.getString("channel", ""), attachment.getString("text", ""),
                            attachment.getString("color", "")));
                }
            }
            if (now == Answer.RATE_LIMITED) {
                exchange.getResponseHeaders().add("Retry-After", "30");
            }
            byte[] reply = now.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(now.status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        listening.start();
        return listening;
    }

    /** From now on, every post gets this answer; only a post answered OK is a message someone sees. */
    public void answer(Answer next) {
        if (answer == Answer.NO_ANSWER && next != Answer.NO_ANSWER) {
            unanswered.countDown();
            unanswered = new CountDownLatch(1);
        }
        answer = next;
    }

    /** Stops listening: a post is refused. {@link #comeBack()} listens on the same port again. */
    public synchronized void goDown() {
        server.stop(0);
    }

    public synchronized void comeBack() throws IOException {
        server = listen(port);
    }

    /** Every post that reached it, answered or not. */
    public int attempts() {
        return attempts.get();
    }

    public String url() {
        String host = forSharedServer ? InfluxServer.shared().hostReaching(port) : "127.0.0.1";
        return "http://" + host + ":" + port + "/services/hook";
    }

    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public synchronized void close() {
        unanswered.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}

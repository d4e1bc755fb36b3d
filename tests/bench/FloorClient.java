import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: a bare java.net.http client with no tool logic, that sends the requests of a
 * FloorScript file (reads one after the other, as planning must; then the writes, a given number
 * in flight) and prints how many it sent. What a tool takes beyond this is the tool's own cost.
 * Usage: FloorClient URL CONCURRENCY SCRIPT_FILE, with the token in BENCH_TOKEN.
 */
public final class FloorClient {
    private FloorClient() {}

    public static void main(String... args) throws Exception {
        URI base = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        String token = System.getenv("BENCH_TOKEN");
        HttpClient client = HttpClient.newHttpClient();
        List<String[]> writes = new ArrayList<>();
        int sent = 0;
        int failed = 0;
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] request = line.split("\t", 3);
            if (request[0].equals("GET")) {
                failed += send(client, base, token, request) ? 0 : 1;
                sent++;
            } else {
                writes.add(request);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (String[] request : writes) {
            answers.add(pool.submit(() -> send(client, base, token, request)));
        }
        for (Future<Boolean> answer : answers) {
            failed += answer.get() ? 0 : 1;
            sent++;
        }
        pool.shutdown();
        System.out.println("sent " + sent + " failed " + failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static boolean send(HttpClient client, URI base, String token, String[] request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(request[1]))
                .header("Authorization", "Token " + token)
                .header("Accept", "application/json");
        if (request.length > 2) {
            builder.header("Content-Type", "application/json").method(request[0], HttpRequest.BodyPublishers.ofString(request[2]));
        }
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() / 100 == 2;
    }
}

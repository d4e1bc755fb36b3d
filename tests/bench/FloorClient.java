import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: a bare java.net.http client with no tool logic, that sends the requests of a script
 * file the way the tool did and prints how many it sent. What a tool takes beyond this is the
 * tool's own cost. Script lines: "GET\tCHAIN\tPATH" for reads, "METHOD\tPATH\tBODY" for writes.
 * The reads of chain "first" go before all others (the org lookup); the other chains then run at
 * once, each in order (as the tool lists buckets, tasks and secrets at once); then the writes, a
 * given number in flight; it ends its client's selector thread before exit, as the tools do.
 * Usage: FloorClient URL CONCURRENCY SCRIPT_FILE, with the token in BENCH_TOKEN.
 */
public final class FloorClient {
    private FloorClient() {}

    public static void main(String... args) throws Exception {
        URI base = URI.create(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        String token = System.getenv("BENCH_TOKEN");
        HttpClient client = HttpClient.newHttpClient();
        Map<String, List<String[]>> chains = new LinkedHashMap<>();
        List<String[]> writes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] fields = line.split("\t", 3);
            if (fields[0].equals("GET")) {
                chains.computeIfAbsent(fields[1], chain -> new ArrayList<>()).add(new String[] {"GET", fields[2]});
            } else {
                writes.add(fields);
            }
        }
        int sent = 0;
        int failed = 0;
        for (String[] read : chains.getOrDefault("first", List.of())) {
            failed += send(client, base, token, read) ? 0 : 1;
            sent++;
        }
        chains.remove("first");
        ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, chains.size()));
        List<Future<Integer>> readsFailed = new ArrayList<>();
        for (List<String[]> chain : chains.values()) {
            readsFailed.add(readers.submit(() -> {
                int chainFailed = 0;
                for (String[] read : chain) {
                    chainFailed += send(client, base, token, read) ? 0 : 1;
                }
                return chainFailed;
            }));
            sent += chain.size();
        }
        for (Future<Integer> chain : readsFailed) {
            failed += chain.get();
        }
        readers.shutdown();
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
        close(client);
        System.out.println("sent " + sent + " failed " + failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * As the tools do (InfluxHttp.close): a selector thread left in its native poll makes the JVM
     * wait up to 0.3 s at exit.
     */
    private static void close(HttpClient client) throws InterruptedException {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
            return;
        } catch (ReflectiveOperationException olderJdk) {
            // Java 17: interrupt the selector thread, named after the client's number.
        }
        String self = client.toString();
        String name = "HttpClient-" + self.substring(self.lastIndexOf('(') + 1, self.length() - 1) + "-SelectorManager";
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                thread.interrupt();
            }
        }
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

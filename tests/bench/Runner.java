import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command in a process of its own, as a CronJob would, under /usr/bin/time (peak RSS, CPU
 * time), and measures it, with influxd counting the requests it served meanwhile. Output goes to a
 * file, never to the console: tokenmaker's output could hold a token.
 */
public final class Runner {
    private static final long TIME_LIMIT_MINUTES = 5;

    private final Path workDir;
    private final ServerMetrics server;

    public Runner(Path workDir, ServerMetrics server) {
        this.workDir = workDir;
        this.server = server;
    }

    public Measurement measure(List<String> command, Map<String, String> env) {
        Path output = workDir.resolve("run.out");
        Path timeFile = workDir.resolve("time.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %U %S", "-o", timeFile.toString()));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("INFLUX") || name.startsWith("JAVA_TOOL")
                || name.startsWith("JBANG") || name.equals("JAVA_OPTS"));
        builder.environment().putAll(env);
        try {
            long serverBefore = server.apiRequests();
            long started = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(TIME_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " took over " + TIME_LIMIT_MINUTES + " minutes");
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            long serverRequests = server.apiRequests() - serverBefore;
            if (process.exitValue() != 0) {
                System.out.println("  ! " + command + " exited " + process.exitValue() + ":\n"
                        + String.join("\n", InfluxServer.tail(output, 5)));
            }
            // /usr/bin/time writes "KB user system" as its last line (after any note of a signal).
            List<String> lines = Files.readAllLines(timeFile);
            String[] fields = lines.get(lines.size() - 1).strip().split(" ");
            long cpuMillis = Math.round((Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])) * 1000);
            return new Measurement(millis, cpuMillis, serverRequests, Long.parseLong(fields[0]), process.exitValue());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

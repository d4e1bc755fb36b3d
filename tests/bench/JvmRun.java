import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a main class in a JVM of its own, as a CronJob would, under /usr/bin/time (which reports
 * the process's peak RSS), and measures it. Output goes to a file, never to the console: tokenmaker's
 * output could hold a token.
 */
public final class JvmRun {
    private static final long TIME_LIMIT_MINUTES = 5;

    private final Path workDir;
    private final String classpath;
    private final ServerMetrics server;

    public JvmRun(Path workDir, String classpath, ServerMetrics server) {
        this.workDir = workDir;
        this.classpath = classpath;
        this.server = server;
    }

    /** A tool's own main class; its requests are counted by influxd alone. */
    public Measurement tool(List<String> jvmOptions, String tool, Map<String, String> env, List<String> args) {
        Path noCount = workDir.resolve("no-client-count.txt");
        return measure(jvmOptions, tool, env, args, workDir.resolve("tool.out"), noCount);
    }

    /** The bare client, with the JVM's defaults; it prints its own request count. */
    public Measurement floor(String url, String token, int concurrency, Path script) {
        return floor(List.of(), url, token, concurrency, script);
    }

    /** The bare client with these JVM options. */
    public Measurement floor(List<String> jvmOptions, String url, String token, int concurrency, Path script) {
        Path output = workDir.resolve("floor.out");
        return measure(jvmOptions, "FloorClient", Map.of("BENCH_TOKEN", token),
                List.of(url, Integer.toString(concurrency), script.toString()), output, output);
    }

    private Measurement measure(List<String> jvmOptions, String mainClass, Map<String, String> env, List<String> args,
            Path output, Path countFile) {
        Path timeFile = workDir.resolve("time.txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", timeFile.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("INFLUX") || name.startsWith("JAVA_TOOL"));
        builder.environment().putAll(env);
        try {
            Files.deleteIfExists(countFile);
            long serverBefore = server.apiRequests();
            long started = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(TIME_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " " + args + " took over " + TIME_LIMIT_MINUTES + " minutes");
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            long serverRequests = server.apiRequests() - serverBefore;
            if (process.exitValue() != 0) {
                System.out.println("  ! " + mainClass + " " + args + " exited " + process.exitValue() + ":\n"
                        + String.join("\n", InfluxServer.tail(output, 5)));
            }
            return new Measurement(millis, clientRequests(countFile), serverRequests, peakRss(timeFile), process.exitValue());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mainClass + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** FloorClient prints "sent N failed M"; a tool's requests are counted by influxd only (-1 here). */
    private static int clientRequests(Path countFile) throws IOException {
        if (!Files.exists(countFile)) {
            return -1;
        }
        String[] words = Files.readString(countFile).strip().split(" ");
        return Integer.parseInt(words[1]);
    }

    /** /usr/bin/time -f %M writes the peak RSS in KB as its last line. */
    private static long peakRss(Path timeFile) throws IOException {
        List<String> lines = Files.readAllLines(timeFile);
        return Long.parseLong(lines.get(lines.size() - 1).strip());
    }
}

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tool run in a JVM of its own, as a CronJob runs it: for tests of overlapping runs and crashes. */
public final class ToolProcess {
    private ToolProcess() {}

    /** Starts tool's main class on this test run's classpath, with only the given environment added. */
    public static Process start(String tool, Map<String, String> env, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), tool));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("INFLUX"));
        builder.environment().putAll(env);
        return builder.start();
    }
}

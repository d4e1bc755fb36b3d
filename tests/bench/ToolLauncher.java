import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs one tool's main() in this JVM and, as the JVM exits (the tools end in System.exit), writes
 * how many HTTP requests the tool's clients sent to the file named by -Dbench.requests.
 */
public final class ToolLauncher {
    private ToolLauncher() {}

    public static void main(String... args) throws Exception {
        Path countFile = Path.of(System.getProperty("bench.requests"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(countFile, Integer.toString(InfluxHttp.requestsInProcess()));
            } catch (IOException e) {
                System.err.println("benchmark: cannot write the request count: " + e);
            }
        }));
        Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}

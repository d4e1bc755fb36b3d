import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as an operator would type it, and keeps what it printed. */
public final class Shell {
    /** The repository's root: the tests run from there (README: ./jbang tests/run.java). */
    public static final Path ROOT = Path.of("").toAbsolutePath();

    public record Result(int exitCode, String stdout, String stderr) {
        /** All it printed: standard output, then standard error. */
        public String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output();
        }
    }

    private Shell() {}

    public static Result run(Path directory, Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("INFLUX") || name.startsWith("JBANG"));
        builder.environment().putAll(env);
        Path stderr = null;
        try {
            // A file, so that neither stream can fill its pipe while the other is read.
            stderr = Files.createTempFile("influx-tools-stderr-", ".txt");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }
}

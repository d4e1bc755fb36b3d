import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ways a tool is started, each a command line to which the tool's own arguments are appended:
 * as the image runs it (its exported jar, `java -jar` with the entry point's JVM options) on JDK 17
 * and on JDK 25 with an AOT cache trained by one unmeasured run, and as an installed JBang app
 * (the one-line script `jbang app install` writes, with this repository's launcher as `jbang`), and
 * as the command deploy/install.sh installs (the exported jar, no JBang at run time).
 * Beside them: the Python yardstick and the bare Java client (the floor), which send a request
 * script (BenchOrg).
 */
public final class Routes {
    /** What `jbang app install` writes into ~/.jbang/bin (written here, so that no rc file is touched). */
    private static final String APP_SCRIPT = "#!/bin/sh\nexec jbang run %s \"$@\"\n";

    private final Path workDir;
    private final Path exported;
    private final Path java17;
    private final Path java25;
    private final Path python;
    private final Path pathDir;

    private Routes(Path workDir, Path exported, Path java17, Path java25, Path python, Path pathDir) {
        this.workDir = workDir;
        this.exported = exported;
        this.java17 = java17;
        this.java25 = java25;
        this.python = python;
        this.pathDir = pathDir;
    }

    /** Exports the jars, installs the apps and the yardstick's interpreter. java25: a JDK home, or null. */
    public static Routes prepare(Path workDir, Path java25Home) throws IOException {
        Path exported = workDir.resolve("export");
        run(Map.of(), List.of(Shell.ROOT.resolve("deploy/export.sh").toString(), exported.toString()));
        Path pathDir = Files.createDirectories(workDir.resolve("bin"));
        Files.createSymbolicLink(pathDir.resolve("jbang"), Shell.ROOT.resolve("jbang"));
        for (String tool : List.of("bucketmapper", "tokenmaker", "taskmaker")) {
            Path app = pathDir.resolve(tool);
            Files.writeString(app, String.format(APP_SCRIPT, Shell.ROOT.resolve(tool + ".java")));
            Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        run(Map.of(), List.of(Shell.ROOT.resolve("deploy/install.sh").toString(), workDir.resolve("prefix").toString()));
        Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
        Path java25 = java25Home == null ? null : java25Home.resolve("bin/java");
        return new Routes(workDir, exported, java17, java25, Yardstick.python(), pathDir);
    }

    public Path python() {
        return python;
    }

    public boolean hasJdk25() {
        return java25 != null;
    }

    /** The image's route on JDK 17: deploy/entrypoint.sh's `java $JAVA_OPTS -jar TOOL.jar`. */
    public List<String> jar17(String tool) {
        List<String> command = new ArrayList<>(List.of(java17.toString()));
        command.addAll(imageJvmOptions());
        command.addAll(List.of("-jar", exported.resolve(tool + ".jar").toString()));
        return command;
    }

    /** The same jar on JDK 25 with the AOT cache that trainJdk25 made. */
    public List<String> jar25(String tool) {
        List<String> command = new ArrayList<>(List.of(java25.toString()));
        command.addAll(imageJvmOptions());
        command.addAll(List.of("-XX:AOTCache=" + aotCache(tool), "-Xlog:aot=off", "-Xlog:cds=off", "-jar",
                exported.resolve(tool + ".jar").toString()));
        return command;
    }

    /**
     * One unmeasured run that records the AOT cache (JEP 483/514): what an image build would do
     * against a throwaway server. trainingArgs: the tool's arguments, e.g. a --dry-run.
     */
    public void trainJdk25(String tool, Map<String, String> env, List<String> trainingArgs) {
        List<String> command = new ArrayList<>(List.of(java25.toString()));
        command.addAll(imageJvmOptions());
        command.addAll(List.of("-XX:AOTCacheOutput=" + aotCache(tool), "-Xlog:aot=off", "-Xlog:cds=off", "-jar",
                exported.resolve(tool + ".jar").toString()));
        command.addAll(trainingArgs);
        run(env, command);
        if (!Files.exists(aotCache(tool))) {
            throw new IllegalStateException("JDK 25 recorded no AOT cache for " + tool);
        }
    }

    /** The installed JBang app; JBang records its class archive (//CDS) on the first run, so make one unmeasured. */
    public List<String> installedApp(String tool) {
        return List.of(pathDir.resolve(tool).toString());
    }

    /**
     * The command deploy/install.sh installs: the exported jar with the image's JVM options and a
     * class archive its first run records (deploy/launch.sh), on JDK 17; no JBang at run time.
     */
    public List<String> launcher(String tool) {
        return List.of(workDir.resolve("prefix/bin").resolve(tool).toString());
    }

    /** The launcher's environment: JDK 17 is its java. */
    public Map<String, String> launcherEnv(Map<String, String> env) {
        Map<String, String> withJava = new java.util.HashMap<>(env);
        withJava.put("JAVA_CMD", java17.toString());
        return withJava;
    }

    /** The environment an installed app runs in: this repository's launcher is `jbang` on PATH. */
    public Map<String, String> appEnv(Map<String, String> env) {
        Map<String, String> withPath = new java.util.HashMap<>(env);
        withPath.put("PATH", pathDir + ":" + System.getenv("PATH"));
        return withPath;
    }

    public List<String> yardstick(String url, int concurrency, Path script) {
        return List.of(python.toString(), Shell.ROOT.resolve("tests/bench/yardstick.py").toString(), url,
                Integer.toString(concurrency), script.toString());
    }

    /** The bare java.net.http client with the JVM's defaults, on JDK 17. */
    public List<String> floor(String url, int concurrency, Path script) {
        return List.of(java17.toString(), "-cp", System.getProperty("java.class.path"), "FloorClient", url,
                Integer.toString(concurrency), script.toString());
    }

    private Path aotCache(String tool) {
        return workDir.resolve(tool + ".aot");
    }

    /**
     * The JVM options deploy/entrypoint.sh gives the tools (its JAVA_OPTS default), read from it so
     * that the benchmark follows the image.
     */
    static List<String> imageJvmOptions() {
        try {
            String entrypoint = Files.readString(Shell.ROOT.resolve("deploy/entrypoint.sh"));
            java.util.regex.Matcher options = java.util.regex.Pattern.compile("JAVA_OPTS=\\$\\{JAVA_OPTS:-([^}]*)\\}")
                    .matcher(entrypoint);
            if (!options.find()) {
                throw new IllegalStateException("deploy/entrypoint.sh sets no JAVA_OPTS default");
            }
            return Arrays.asList(options.group(1).strip().split("\\s+"));
        } catch (IOException e) {
            throw new IllegalStateException("run the benchmark from the repository root: " + e, e);
        }
    }

    static void run(Map<String, String> env, List<String> command) {
        Shell.Result result = Shell.run(Shell.ROOT, env, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(command + " failed: " + result);
        }
    }
}

///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Measures the tools against a local influxd at 100 and 1,000 applications, against a bare client's floor (not a test).
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//DEPS org.testcontainers:testcontainers-influxdb:2.0.5
//DEPS org.slf4j:slf4j-nop:2.0.17
//SOURCES ../lib/influx/*.java
//SOURCES ../lib/plan/*.java
//SOURCES ../lib/cli/*.java
//SOURCES ../lib/alerts/*.java
//SOURCES ../lib/tokens/*.java
//SOURCES ../bucketmapper.java
//SOURCES ../tokenmaker.java
//SOURCES ../taskmaker.java
//SOURCES support/*.java
//SOURCES bench/*.java

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import influx.InfluxApi;

/**
 * The performance benchmark (not a test): starts its own influxd (tests/support), seeds an org
 * with N application buckets, and runs each tool in a JVM of its own, from empty and again with
 * nothing to do, next to the floor: a bare java.net.http client sending the same creates at the
 * same concurrency. Prints a Markdown table (median of --repeats) and the concurrency curve.
 * Usage: ./jbang tests/benchmark.java [--sizes 100,1000] [--repeats 3] [--curve 1,2,4,8,16|none]
 */
public class benchmark {
    private static final int DEFAULT_CONCURRENCY = 4;

    private final LocalInfluxd server;
    private final String token;
    private final Admin admin;
    private final InfluxApi api;
    private final JvmRun jvm;
    private final Path workDir;
    private final int repeats;
    private final List<String> rows = new ArrayList<>();
    /** Per tool: recorded once, on the first org measured; the classes a run loads do not depend on N. */
    private final Map<String, List<String>> toolOptions = new HashMap<>();

    benchmark(LocalInfluxd server, String token, Path workDir, int repeats) {
        this.server = server;
        this.token = token;
        this.admin = Admin.of(server.url(), token);
        this.api = admin.api();
        this.workDir = workDir;
        this.repeats = repeats;
        this.jvm = new JvmRun(workDir, System.getProperty("java.class.path"), new ServerMetrics(server.url()));
    }

    public static void main(String... args) throws IOException {
        Map<String, String> options = options(args);
        List<Integer> sizes = numbers(options.getOrDefault("--sizes", "100,1000"));
        // JBang drops an empty argument, so "none" turns the curve off.
        List<Integer> curve = numbers(options.getOrDefault("--curve", "1,2,4,8,16").replace("none", ""));
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
        String token = "bench-" + UUID.randomUUID();
        LocalInfluxd server = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        Path workDir = Files.createTempDirectory("influx-tools-bench-");
        benchmark bench = new benchmark(server, token, workDir, repeats);
        System.out.println("machine: " + Machine.describe() + "; influxd " + InfluxServer.VERSION + " on loopback");
        System.out.println("each figure: median of " + repeats + " runs; requests: counted by the client (floor only) / by influxd's"
                + " http_api_requests_total; floor: bare java.net.http client with the JVM's defaults, same reads, same creates,"
                + " same concurrency; tuned floor: the same client with the tool's JVM options and a class archive of its own");
        List<BenchOrg> orgs = new ArrayList<>();
        for (int size : sizes) {
            orgs.add(bench.measure(BenchOrg.seed(bench.admin, size), size));
        }
        bench.printTable();
        // The smallest org: taskmaker's creates at 1,000 applications would take the curve past ten minutes.
        if (!curve.isEmpty()) {
            bench.concurrencyCurve(orgs.get(0), sizes.get(0), curve);
        }
        bench.startUp(orgs.get(0), sizes.get(0));
        server.destroy();
        System.exit(0);
    }

    private BenchOrg measure(BenchOrg org, int size) {
        measureTool("bucketmapper", org, size, List.of(), org::removeDbrps, org::bucketmapperRequests);
        measureTool("taskmaker", org, size, List.of(), org::removeTasks, org::taskmakerRequests);
        Path tokenFile = workDir.resolve("token");
        measureTool("tokenmaker", org, size, List.of("--output-file", tokenFile.toString()), () -> {
            org.removeTokens();
            deleteQuietly(tokenFile);
        }, org::tokenmakerRequests);
        return org;
    }

    /**
     * Each repeat: the tool from empty; then the tool again (nothing to do) and the floor of that
     * no-op, taken in turns so that both see the same server; then the floor's creates are read
     * back from what the tool made, the org is reset, the floor creates the same, and the org is
     * reset again. When from-empty runs are too slow to repeat, the no-op pairs are repeated instead.
     * Each no-op is also measured against the tuned floor (tunedFloorOptions).
     */
    private void measureTool(String tool, BenchOrg org, int size, List<String> toolArgs, Runnable reset,
            Function<Boolean, List<String>> floorRequests) {
        List<Measurement> fromEmpty = new ArrayList<>();
        List<Measurement> again = new ArrayList<>();
        List<Measurement> floorEmpty = new ArrayList<>();
        List<Measurement> floorAgain = new ArrayList<>();
        List<Measurement> tunedFloorAgain = new ArrayList<>();
        Map<String, String> env = env(org);
        reset.run();
        List<String> options = toolJvmOptions(tool, env, toolArgs);
        List<String> tunedFloor = tunedFloorOptions(tool, BenchOrg.write(workDir.resolve("recording.txt"), floorRequests.apply(false)));
        int runs = repeatsOf(tool, size);
        for (int run = 0; run < runs; run++) {
            reset.run();
            fromEmpty.add(jvm.tool(options, tool, env, toolArgs));
            Path noOp = BenchOrg.write(workDir.resolve("noop.txt"), floorRequests.apply(false));
            for (int pair = 0; pair < Math.max(1, repeats / runs); pair++) {
                again.add(jvm.tool(options, tool, env, toolArgs));
                floorAgain.add(jvm.floor(server.url(), token, DEFAULT_CONCURRENCY, noOp));
                tunedFloorAgain.add(jvm.floor(tunedFloor, server.url(), token, DEFAULT_CONCURRENCY, noOp));
            }
            Path creates = BenchOrg.write(workDir.resolve("creates.txt"), floorRequests.apply(true));
            reset.run();
            floorEmpty.add(jvm.floor(server.url(), token, DEFAULT_CONCURRENCY, creates));
        }
        reset.run();
        rows.add(row(tool, size, "from empty", Measurement.median(fromEmpty), Measurement.median(floorEmpty), null));
        rows.add(row(tool, size, "again, nothing to do", Measurement.median(again), Measurement.median(floorAgain),
                Measurement.median(tunedFloorAgain)));
        System.out.println("  measured " + tool + " at N=" + size);
    }

    /**
     * influxd creates about 20 tasks a second on this 2-core machine, so one taskmaker run from empty
     * at 1,000 applications (2,003 tasks) takes minutes with its floor and resets: it runs once,
     * to keep the whole benchmark near ten minutes.
     */
    private int repeatsOf(String tool, int size) {
        return tool.equals("taskmaker") && size >= 1000 ? 1 : repeats;
    }

    /**
     * Start-up as an operator sees it, through ./jbang with a warm cache: --help, and a run with
     * nothing to do (the org is brought up to date first, unmeasured). Median of the repeats.
     */
    private void startUp(BenchOrg org, int size) {
        System.out.println();
        System.out.println("Start-up through ./jbang, warm cache (N=" + size + ", wall s, median of " + repeats + ")");
        System.out.println();
        System.out.println("| tool | --help | run with nothing to do |");
        System.out.println("|---|---|---|");
        for (String tool : List.of("bucketmapper", "taskmaker")) {
            jbangMillis(tool, env(org));
            List<Long> help = new ArrayList<>();
            List<Long> noOp = new ArrayList<>();
            for (int run = 0; run < repeats; run++) {
                help.add(jbangMillis(tool, Map.of(), "--help"));
                noOp.add(jbangMillis(tool, env(org)));
            }
            System.out.println("| " + tool + " | " + seconds(median(help)) + " | " + seconds(median(noOp)) + " |");
        }
        org.removeDbrps();
        org.removeTasks();
    }

    private long jbangMillis(String tool, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Shell.ROOT.resolve("jbang").toString(), tool + ".java"));
        command.addAll(List.of(args));
        long started = System.nanoTime();
        Shell.Result result = Shell.run(Shell.ROOT, env, command);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (result.exitCode() != 0) {
            System.out.println("  ! ./jbang " + tool + ".java exited " + result.exitCode());
        }
        return millis;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static String seconds(long millis) {
        return String.format("%.2f", millis / 1000.0);
    }

    /** Writes from empty at each number in flight, tool next to floor; one run each, to stay within minutes. */
    private void concurrencyCurve(BenchOrg org, int size, List<Integer> inFlight) {
        System.out.println();
        System.out.println("Concurrency (N=" + size + ", from empty, one run each): tool s / floor s");
        System.out.println();
        System.out.println("| in flight | bucketmapper | taskmaker |");
        System.out.println("|---|---|---|");
        for (int concurrency : inFlight) {
            String mapper = curvePoint("bucketmapper", org, concurrency, org::removeDbrps, org::bucketmapperRequests);
            String tasks = curvePoint("taskmaker", org, concurrency, org::removeTasks, org::taskmakerRequests);
            System.out.println("| " + concurrency + " | " + mapper + " | " + tasks + " |");
        }
        org.removeTasks();
    }

    private String curvePoint(String tool, BenchOrg org, int concurrency, Runnable reset,
            Function<Boolean, List<String>> floorRequests) {
        reset.run();
        List<String> toolArgs = List.of("--concurrency", Integer.toString(concurrency));
        Measurement measured = jvm.tool(toolJvmOptions(tool, env(org), toolArgs), tool, env(org), toolArgs);
        Path creates = BenchOrg.write(workDir.resolve("creates.txt"), floorRequests.apply(true));
        reset.run();
        Measurement floor = jvm.floor(server.url(), token, concurrency, creates);
        return measured.seconds() + " / " + floor.seconds();
    }

    /** tunedFloor: null where it was not measured (from empty, where the server sets the pace). */
    private String row(String tool, int size, String run, Measurement measured, Measurement floor, Measurement tunedFloor) {
        return "| " + tool + " | " + size + " | " + run + " | " + measured.seconds() + " | " + floor.seconds() + " | "
                + ratio(measured, floor) + " | " + (tunedFloor == null ? "-" : tunedFloor.seconds()) + " | "
                + (tunedFloor == null ? "-" : ratio(measured, tunedFloor)) + " | " + measured.requests() + " | "
                + floor.requests() + " | " + measured.peakRssMb() + " |"
                + (measured.exitCode() == 0 ? "" : " exit " + measured.exitCode());
    }

    private static String ratio(Measurement measured, Measurement floor) {
        return String.format("%.2f", (double) measured.millis() / floor.millis());
    }

    private void printTable() {
        System.out.println();
        System.out.println("| tool | N | run | tool s | floor s | tool / floor | tuned floor s | tool / tuned floor"
                + " | requests tool | requests floor | tool peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private Map<String, String> env(BenchOrg org) {
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", server.url());
        env.put("INFLUXDB_ORG", org.org().name());
        env.put("INFLUXDB_TOKEN", token);
        return env;
    }

    /**
     * The JVM options JBang gives the tool: its //RUNTIME_OPTIONS lines and, with //CDS, the class
     * archive that JBang records on a tool's first run. Here that first run is a --dry-run on the
     * seeded org (unmeasured), as an operator's first run would be.
     */
    private List<String> toolJvmOptions(String tool, Map<String, String> env, List<String> toolArgs) {
        return toolOptions.computeIfAbsent(tool, name -> recordJvmOptions(name, env, toolArgs));
    }

    private List<String> recordJvmOptions(String tool, Map<String, String> env, List<String> toolArgs) {
        if (!scriptHeader(tool).contains("//CDS")) {
            return runtimeOptions(tool);
        }
        List<String> dryRun = new ArrayList<>(toolArgs);
        dryRun.add("--dry-run");
        return withClassArchive(tool, runtimeOptions(tool), recording -> jvm.tool(recording, tool, env, dryRun));
    }

    /**
     * The floor given every JVM advantage the tool has: its //RUNTIME_OPTIONS and a class archive
     * of the floor's own, recorded by one unmeasured no-op. What the tool takes beyond this floor is
     * its own work alone: picocli, parsing the answers, rendering and comparing.
     */
    private List<String> tunedFloorOptions(String tool, Path noOp) {
        return withClassArchive("floor of " + tool, runtimeOptions(tool),
                recording -> jvm.floor(recording, server.url(), token, DEFAULT_CONCURRENCY, noOp));
    }

    /** The options plus a class archive that one unmeasured run, given the options to record with, leaves. */
    private List<String> withClassArchive(String name, List<String> options, Consumer<List<String>> recordingRun) {
        Path archive = workDir.resolve(name.replace(' ', '-') + ".jsa");
        deleteQuietly(archive);
        List<String> recording = new ArrayList<>(options);
        recording.add("-XX:ArchiveClassesAtExit=" + archive);
        recordingRun.accept(recording);
        List<String> archived = new ArrayList<>(options);
        if (Files.exists(archive)) {
            archived.add("-XX:SharedArchiveFile=" + archive);
        } else {
            System.out.println("  ! " + name + ": no class archive was recorded; measured without one");
        }
        return archived;
    }

    private static List<String> runtimeOptions(String tool) {
        List<String> options = new ArrayList<>();
        scriptHeader(tool).stream().filter(line -> line.startsWith("//RUNTIME_OPTIONS "))
                .forEach(line -> options.addAll(Arrays.asList(line.substring("//RUNTIME_OPTIONS ".length()).strip().split("\\s+"))));
        return options;
    }

    private static List<String> scriptHeader(String tool) {
        try {
            return Files.readAllLines(Shell.ROOT.resolve(tool + ".java")).stream().takeWhile(line -> line.startsWith("//")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("run the benchmark from the repository root: " + e, e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static List<Integer> numbers(String list) {
        return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The next create fails loudly if it is still there.
        }
    }
}

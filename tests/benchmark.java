///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Measures the tools against a local influxd at 300 and 1,000 applications, against the Python yardstick and a bare Java client (not a test).
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The performance benchmark (not a test): starts its own influxd (tests/support), seeds an org
 * with N application buckets, and runs each tool in a process of its own, from empty and again
 * with nothing to do, by each route it is started by (Routes): as the image runs it on JDK 17, the
 * same jar on JDK 25 with an AOT cache, as an installed JBang app, and as the command
 * deploy/install.sh installs. Beside them, the Python
 * yardstick (the original tools' asyncio + aiohttp client) sends the same requests, and so does a
 * bare Java client (the floor). Every no-op route takes its turn in each round, the order rotating
 * from round to round, so that all see the same server and the same neighbours on the machine.
 * Prints a Markdown table (median of --repeats) and the spread of every median.
 * Usage: ./jbang tests/benchmark.java [--sizes 300,1000] [--repeats 3] [--jdk25 JDK_HOME|none]
 */
public class benchmark {
    private static final int DEFAULT_CONCURRENCY = 4;
    private static final Path DEFAULT_JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** The CronJob's tools: each also runs as an installed app. */
    private static final Set<String> SCHEDULED = Set.of("bucketmapper", "taskmaker");

    private final LocalInfluxd server;
    private final String token;
    private final Runner runner;
    private final Routes routes;
    private final Admin admin;
    private final Path workDir;
    private final int repeats;
    private final List<String> rows = new ArrayList<>();
    private final List<String> spreads = new ArrayList<>();
    private final Set<String> trained = new HashSet<>();

    benchmark(LocalInfluxd server, String token, Path workDir, int repeats, Routes routes) {
        this.server = server;
        this.token = token;
        this.admin = Admin.of(server.url(), token);
        this.workDir = workDir;
        this.repeats = repeats;
        this.routes = routes;
        this.runner = new Runner(workDir, new ServerMetrics(server.url()));
    }

    public static void main(String... args) throws IOException {
        Map<String, String> options = options(args);
        List<Integer> sizes = numbers(options.getOrDefault("--sizes", "300,1000"));
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
        String jdk25 = options.getOrDefault("--jdk25", Files.isDirectory(DEFAULT_JDK25) ? DEFAULT_JDK25.toString() : "none");
        String token = "bench-" + UUID.randomUUID();
        Path workDir = Files.createTempDirectory("influx-tools-bench-");
        Routes routes = Routes.prepare(workDir, jdk25.equals("none") ? null : Path.of(jdk25));
        LocalInfluxd server = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        benchmark bench = new benchmark(server, token, workDir, repeats, routes);
        System.out.println("machine: " + Machine.describe() + "; influxd " + InfluxServer.VERSION + " on loopback; yardstick: "
                + Yardstick.version(routes.python()) + "; JDK 25: " + jdk25);
        System.out.println("each figure: median of " + repeats + " runs (taskmaker from empty at 1,000: one); requests: counted by"
                + " influxd (http_api_requests_total); image's JVM options: " + String.join(" ", Routes.imageJvmOptions()));
        for (int size : sizes) {
            bench.measure(BenchOrg.seed(bench.admin, size), size);
        }
        bench.printTable();
        server.destroy();
        // The exported jars and AOT caches: about 100 MB a run.
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(benchmark::deleteQuietly);
        }
        System.exit(0);
    }

    private void measure(BenchOrg org, int size) {
        measureTool("bucketmapper", org, size, List.of(), org::removeDbrps, org::bucketmapperRequests);
        measureTool("taskmaker", org, size, List.of(), org::removeTasks, org::taskmakerRequests);
        Path tokenFile = workDir.resolve("token");
        measureTool("tokenmaker", org, size, List.of("--output-file", tokenFile.toString()), () -> {
            org.removeTokens();
            deleteQuietly(tokenFile);
        }, org::tokenmakerRequests);
    }

    /** One route of one tool: its command line and environment (the tool's arguments are appended to tools' routes). */
    private record Route(String name, List<String> command, Map<String, String> env) {}

    /**
     * Each repeat: one tool route from empty (JDK 17 and JDK 25 take turns at going first); the
     * requests it sent become the scripts of the yardstick and the floor; the no-op rounds, every
     * route in turn; then from empty again, the other JDK, then the yardstick's creates. The org
     * is reset before every run from empty. When runs from empty are too slow to repeat, the no-op
     * rounds are repeated instead.
     */
    private void measureTool(String tool, BenchOrg org, int size, List<String> toolArgs, Runnable reset,
            Function<Boolean, List<String>> requests) {
        Map<String, String> env = env(org);
        Map<String, String> clientEnv = Map.of("BENCH_TOKEN", token);
        List<String> dryRun = new ArrayList<>(toolArgs);
        dryRun.add("--dry-run");
        reset.run();
        if (trained.add(tool)) {
            if (routes.hasJdk25()) {
                routes.trainJdk25(tool, env, dryRun);
            }
            if (SCHEDULED.contains(tool)) {
                // JBang builds the app and records its class archive (//CDS) on its first run.
                runner.measure(with(routes.installedApp(tool), dryRun), routes.appEnv(env));
                // The installed launcher records its class archive on its first run, likewise.
                runner.measure(with(routes.launcher(tool), dryRun), routes.launcherEnv(env));
            }
        }
        List<Route> toolRoutes = new ArrayList<>(List.of(new Route("jdk17", with(routes.jar17(tool), toolArgs), env)));
        if (routes.hasJdk25()) {
            toolRoutes.add(new Route("jdk25", with(routes.jar25(tool), toolArgs), env));
        }
        Map<String, List<Measurement>> fromEmpty = new LinkedHashMap<>();
        Map<String, List<Measurement>> noOp = new LinkedHashMap<>();
        int runs = repeatsOf(tool, size);
        for (int run = 0; run < runs; run++) {
            List<Route> order = rotated(toolRoutes, run);
            reset.run();
            add(fromEmpty, order.get(0).name(), runner.measure(order.get(0).command(), order.get(0).env()));
            Path noOpScript = BenchOrg.write(workDir.resolve("noop.txt"), requests.apply(false));
            Path creates = BenchOrg.write(workDir.resolve("creates.txt"), requests.apply(true));
            List<Route> noOpRoutes = new ArrayList<>(toolRoutes);
            if (SCHEDULED.contains(tool)) {
                noOpRoutes.add(new Route("app", with(routes.installedApp(tool), toolArgs), routes.appEnv(env)));
                noOpRoutes.add(new Route("launcher", with(routes.launcher(tool), toolArgs), routes.launcherEnv(env)));
            }
            noOpRoutes.add(new Route("yardstick", routes.yardstick(server.url(), DEFAULT_CONCURRENCY, noOpScript), clientEnv));
            noOpRoutes.add(new Route("floor", routes.floor(server.url(), DEFAULT_CONCURRENCY, noOpScript), clientEnv));
            int rounds = Math.max(1, repeats / runs);
            for (int round = 0; round < rounds; round++) {
                for (Route route : rotated(noOpRoutes, run * rounds + round)) {
                    add(noOp, route.name(), runner.measure(route.command(), route.env()));
                }
            }
            for (Route route : order.subList(1, order.size())) {
                reset.run();
                add(fromEmpty, route.name(), runner.measure(route.command(), route.env()));
            }
            reset.run();
            add(fromEmpty, "yardstick", runner.measure(routes.yardstick(server.url(), DEFAULT_CONCURRENCY, creates), clientEnv));
        }
        reset.run();
        rows.add(row(tool, size, "from empty", fromEmpty));
        rows.add(row(tool, size, "nothing to do", noOp));
        spread(tool, size, "from empty", fromEmpty);
        spread(tool, size, "nothing to do", noOp);
        System.out.println("  measured " + tool + " at N=" + size);
    }

    /**
     * influxd creates about 20 tasks a second on this 2-core machine, so one taskmaker run from empty
     * at 1,000 applications (2,003 tasks) takes most of a minute: it runs once per route.
     */
    private int repeatsOf(String tool, int size) {
        return tool.equals("taskmaker") && size >= 1000 ? 1 : repeats;
    }

    private static <T> List<T> rotated(List<T> items, int by) {
        List<T> order = new ArrayList<>(items);
        java.util.Collections.rotate(order, -(by % items.size()));
        return order;
    }

    private static void add(Map<String, List<Measurement>> measured, String route, Measurement measurement) {
        measured.computeIfAbsent(route, name -> new ArrayList<>()).add(measurement);
    }

    private static List<String> with(List<String> command, List<String> args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        return all;
    }

    private String row(String tool, int size, String run, Map<String, List<Measurement>> measured) {
        Measurement yardstick = Measurement.median(measured.get("yardstick"));
        StringBuilder row = new StringBuilder("| " + tool + " | " + size + " | " + run + " | " + yardstick.seconds());
        for (String route : List.of("jdk17", "jdk25", "app", "launcher")) {
            List<Measurement> runs = measured.get(route);
            row.append(" | ").append(runs == null ? "-" : Measurement.median(runs).seconds() + " ("
                    + String.format("%.1f", (double) Measurement.median(runs).millis() / yardstick.millis()) + "\u00d7)");
        }
        List<Measurement> floor = measured.get("floor");
        row.append(" | ").append(floor == null ? "-" : Measurement.median(floor).seconds());
        row.append(" | ").append(figures(measured, m -> Long.toString(Measurement.median(m).requests())));
        row.append(" | ").append(figures(measured, m -> String.format("%.2f", Measurement.medianCpu(m) / 1000.0)));
        row.append(" | ").append(figures(measured, m -> Long.toString(Math.round(Measurement.medianRssKb(m) / 1024.0))));
        List<String> failed = new ArrayList<>();
        measured.forEach((route, runs) -> runs.stream().filter(m -> m.exitCode() != 0).findAny()
                .ifPresent(m -> failed.add(route + " exit " + m.exitCode())));
        return row + " |" + (failed.isEmpty() ? "" : " " + String.join(", ", failed));
    }

    /** One figure per route in the table's order: yardstick / JDK 17 / JDK 25 / app / launcher. */
    private static String figures(Map<String, List<Measurement>> measured, Function<List<Measurement>, String> figure) {
        List<String> cells = new ArrayList<>();
        for (String route : List.of("yardstick", "jdk17", "jdk25", "app", "launcher")) {
            cells.add(measured.containsKey(route) ? figure.apply(measured.get(route)) : "-");
        }
        return String.join(" / ", cells);
    }

    private void spread(String tool, int size, String run, Map<String, List<Measurement>> measured) {
        List<String> cells = new ArrayList<>();
        measured.forEach((route, runs) -> {
            List<Long> millis = runs.stream().map(Measurement::millis).sorted().toList();
            cells.add(route + " " + seconds(millis.get(0)) + "-" + seconds(millis.get(millis.size() - 1)));
        });
        spreads.add("- " + tool + ", N=" + size + ", " + run + ": " + String.join("; ", cells));
    }

    private static String seconds(long millis) {
        return String.format("%.2f", millis / 1000.0);
    }

    private void printTable() {
        System.out.println();
        System.out.println("| tool | N | run | Python yardstick s | JDK 17 jar s (\u00d7 yardstick) | JDK 25 jar + AOT cache s (\u00d7)"
                + " | installed JBang app s (\u00d7) | deploy/install.sh command s (\u00d7) | Java floor s"
                + " | requests: yardstick / 17 / 25 / app / launcher | CPU s: same order | peak RSS MB: same order |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("Spread (fastest-slowest wall s of the runs behind each median):");
        spreads.forEach(System.out::println);
    }

    private Map<String, String> env(BenchOrg org) {
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", server.url());
        env.put("INFLUXDB_ORG", org.org().name());
        env.put("INFLUXDB_TOKEN", token);
        return env;
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

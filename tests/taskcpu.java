///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Measures influxd CPU per run of each generated task, for the Flux of an earlier commit and for the current one, on the same Telegraf data (not a test).
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import alerts.AlertTasks;
import alerts.FluxTemplates;
import alerts.ManagedTask;
import alerts.WebhookRoutes;
import com.eclipsesource.json.Json;
import influx.ApiException;
import influx.Bucket;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import tokens.TokenPurpose;

/**
 * The CPU a generated task costs the monitored server per run (not a test). Starts its own influxd,
 * makes two orgs with the same Telegraf samples (TelegrafSamples: three applications, a host
 * bucket), one with the tasks of the last release that made two per application ({@link EarlierTasks}: "before"), one
 * with the current ones ("after"), each scheduled only hourly so that nothing but the forced runs
 * execute. Each round writes fresh samples into both orgs and forces every task once (posting
 * what is new); then every task is forced {@code --runs} times in a row, the two variants taking
 * turns, and influxd's CPU time (utime + stime of /proc/PID/stat) over those runs, less its idle
 * rate, is divided by the runs. The figure is the median of the rounds.
 *
 * <pre>./jbang tests/taskcpu.java [--runs N] [--rounds N]</pre>
 */
public class taskcpu {
    static final long TICKS_PER_SECOND = 100;

    public static void main(String... args) throws Exception {
        int runs = 10;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ./jbang tests/taskcpu.java [--runs N] [--rounds N]");
                    System.exit(2);
                }
            }
        }
        String token = "operator-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        // Its pid, for /proc; the server still goes when this JVM does, however it ends.
        long pid = influxd.keepRunning();
        Runtime.getRuntime().addShutdownHook(new Thread(influxd::destroy));
        try (SlackReceiver slack = SlackReceiver.onLoopback()) {
            Admin admin = Admin.of(influxd.url(), token);
            InfluxApi api = admin.api();
            Map<String, Map<String, Task>> variants = new LinkedHashMap<>();
            Map<String, Org> orgs = new LinkedHashMap<>();
            for (String variant : List.of("before", "after")) {
                orgs.put(variant, seed(admin, slack, variant));
            }
            variants.put("before", createTasks(api, orgs.get("before"),
                    EarlierTasks.PER_APPLICATION.wanted(List.of("shop", "billing", "inventory"), "1h", "1h", "0s", "")));
            variants.put("after", createTasks(api, orgs.get("after"), new AlertTasks(FluxTemplates.bundled(), "1h", "1h", "0s",
                    "slack_notify_url", "", "roundtable_internal_", 85, 95, WebhookRoutes.NONE, orgs.get("after").id(), "5m", "30m").wanted(applications(api, orgs.get("after")))));
            double idle = idleTicksPerSecond(pid);
            System.out.printf("influxd pid %d, idle: %.1f ms CPU per second%n", pid, idle * 1000 / TICKS_PER_SECOND);
            Map<String, Map<String, List<Double>>> perRun = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                // Fresh samples each round: the tasks look at the last minutes, so old samples would
                // leave them less and less to read.
                for (Org org : orgs.values()) {
                    writeSamples(admin, influxd, org);
                }
                for (Map<String, Task> tasks : variants.values()) {
                    forceAll(api, tasks, 1);
                }
                java.util.Set<String> names = new java.util.LinkedHashSet<>(variants.get("before").keySet());
                names.addAll(variants.get("after").keySet());
                for (String name : names) {
                    for (Map.Entry<String, Map<String, Task>> variant : variants.entrySet()) {
                        Task task = variant.getValue().get(name);
                        if (task == null) {
                            continue;
                        }
                        long ticks = ticks(pid);
                        long start = System.nanoTime();
                        String failed = forceAll(api, Map.of(name, task), runs);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double ms = ((ticks(pid) - ticks) - idle * seconds) * 1000.0 / TICKS_PER_SECOND / runs;
                        perRun.computeIfAbsent(name, key -> new LinkedHashMap<>())
                                .computeIfAbsent(variant.getKey() + (failed == null ? "" : " (runs fail: " + failed + ")"), key -> new ArrayList<>())
                                .add(ms);
                    }
                }
            }
            System.out.println();
            System.out.println("| task | before ms/run | after ms/run |");
            System.out.println("|---|---|---|");
            double sumBefore = 0;
            double sumAfter = 0;
            for (Map.Entry<String, Map<String, List<Double>>> task : perRun.entrySet()) {
                String b = "";
                String a = "";
                for (Map.Entry<String, List<Double>> variant : task.getValue().entrySet()) {
                    double ms = median(variant.getValue());
                    if (variant.getKey().startsWith("before")) {
                        sumBefore += ms;
                        b = String.format("%.1f%s", ms, note(variant.getKey()));
                    } else {
                        sumAfter += ms;
                        a = String.format("%.1f%s", ms, note(variant.getKey()));
                    }
                }
                System.out.printf("| %s | %s | %s |%n", task.getKey(), b, a);
            }
            System.out.printf("| every task, one run each | %.1f | %.1f |%n", sumBefore, sumAfter);
            System.out.println("(" + rounds + " rounds of " + runs + " runs per task and variant; median of the rounds)");
        }
    }

    private static String note(String key) {
        int at = key.indexOf(" (");
        return at < 0 ? "" : key.substring(at);
    }

    /** An org with the three application buckets, the host bucket, multiapp_ and the Slack secret. */
    static Org seed(Admin admin, SlackReceiver slack, String name) {
        InfluxApi api = admin.api();
        Org org = admin.createOrg("cpu-" + name + "-" + UUID.randomUUID().toString().substring(0, 6));
        for (String bucket : List.of("shop", "billing", "inventory", "roundtable_internal_")) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
        api.createBucket(org.id(), Bucket.MULTIAPP, 3600, "");
        admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
        return org;
    }

    static List<Bucket> applications(InfluxApi api, Org org) {
        return api.buckets(org.id()).stream().filter(bucket -> List.of("shop", "billing", "inventory").contains(bucket.name())).toList();
    }

    /** Telegraf's samples, the last one at about now. */
    static void writeSamples(Admin admin, LocalInfluxd influxd, Org org) throws IOException {
        String telegrafToken = admin.api().createAuthorization(org.id(), null, "telegraf",
                TokenPurpose.TELEGRAF.permissions(org.id(), null)).token();
        try (TelegrafSamples samples = new TelegrafSamples()) {
            samples.write(admin, org, influxd.url(), telegrafToken);
        }
    }

    static Map<String, Task> createTasks(InfluxApi api, Org org, List<ManagedTask> wanted) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (ManagedTask task : wanted) {
            Task created = api.createTask(org.id(), task.flux(), "");
            tasks.put(created.name(), created);
        }
        return tasks;
    }

    /** Application tasks first, as the Slack tasks read what they write; answers the first failure, if any. */
    static String forceAll(InfluxApi api, Map<String, Task> tasks, int runs) {
        String failed = null;
        for (Task task : tasks.values()) {
            for (int i = 0; i < runs; i++) {
                TaskRun run = runToCompletion(api, task.id());
                if (!run.status().equals("success") && failed == null) {
                    failed = String.join(" ", run.log()).replaceAll(".*error", "error");
                    failed = failed.substring(0, Math.min(80, failed.length()));
                }
            }
        }
        return failed;
    }

    /**
     * TaskRuns' way, but also asking again after an HTTP 500: influxd 2.9.1 sometimes panics (nil
     * pointer) when a run is read just as it finishes.
     */
    static TaskRun runToCompletion(InfluxApi api, String taskId) {
        String runId = api.http().createOnce("/api/v2/tasks/" + taskId + "/runs", Json.object()).asObject().getString("id", "");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
                TaskRun run = api.run(taskId, runId);
                if (List.of("success", "failed", "canceled").contains(run.status())) {
                    return run;
                }
            } catch (ApiException e) {
                // Not found between the live list and the log, or the panic: ask again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("run " + runId + " of task " + taskId + " did not finish within 60 s");
    }

    static double idleTicksPerSecond(long pid) throws InterruptedException {
        long ticks = ticks(pid);
        Thread.sleep(5_000);
        return (ticks(pid) - ticks) / 5.0;
    }

    /** utime + stime of the process, in clock ticks (1/100 s on Linux). */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read influxd's CPU time: " + e, e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION What the generated tasks cost the monitored server per minute, scheduled as in production, for the last release's Flux and the current one on the same server and data (not a test).
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import alerts.AlertTasks;
import alerts.FluxTemplates;
import alerts.ManagedTask;
import alerts.WebhookRoutes;
import com.eclipsesource.json.Json;
import influx.Bucket;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import influx.TaskRun;

/**
 * The monitored server's bill (not a test). Starts its own influxd and one org per scale with N
 * application buckets, each holding the given history of four pods as Telegraf's kube_inventory
 * writes them every 10 s (one line per container, one per pod condition), a mix of healthy, crash
 * looping, image-pull failing, OOM-killed and completed pods; a writer keeps adding the current
 * sample every 10 s while it measures. Both sets of tasks are created, inactive: the last release's
 * (two per application, EarlierTasks.PER_APPLICATION) and the current one's. Then, in turn, no
 * task, the release's and the current ones are active on their real 1m schedules for a phase each;
 * influxd's CPU time (utime + stime) over a phase, less that of the phase without tasks, is what
 * the tasks cost; peak RSS is sampled every second. With --before, another earlier release
 * (EarlierTasks, by name: two_tasks) or the tasks rendered from the templates of another folder (say,
 * main's, from git show) take the release's place, to weigh a change of the Flux side by side. With
 * --per-task, each record task of both sets is also active alone for a phase, and the three Slack
 * tasks together. With --pprof-disabled, influxd runs without its profiling endpoints, which
 * otherwise sample its memory allocations all the time.
 *
 * <pre>./jbang tests/taskload.java [--apps 30,300,1000] [--history 1h] [--phase 180] [--rounds 2] [--before NAME|DIR] [--per-task]
 *     [--pprof-disabled]</pre>
 */
public class taskload {
    static final long TICKS_PER_SECOND = 100;
    static final int PODS = 4;
    static final int INTERVAL = 10;

    public static void main(String... args) throws Exception {
        List<Integer> scales = List.of(30, 300, 1000);
        String history = "1h";
        int phase = 180;
        int rounds = 2;
        String before = null;
        boolean perTask = false;
        List<String> flags = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apps" -> scales = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--history" -> history = args[++i];
                case "--phase" -> phase = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--before" -> before = args[++i];
                case "--per-task" -> perTask = true;
                case "--pprof-disabled" -> flags = List.of("--pprof-disabled");
                default -> {
                    System.err.println("usage: ./jbang tests/taskload.java [--apps 30,300,1000] [--history 1h|1d|7d] [--phase SECONDS] [--rounds N] [--before NAME|TEMPLATE_DIR] [--per-task] [--pprof-disabled]");
                    System.exit(2);
                }
            }
        }
        long historySeconds = Durations.seconds(history);
        String token = "operator-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults().withFlags(flags), token);
        long pid = influxd.keepRunning();
        Runtime.getRuntime().addShutdownHook(new Thread(influxd::destroy));
        System.out.printf("influxd %s (pid %d)%s, %d s phases, %d rounds, history %s at %d s%n", System.getenv()
                .getOrDefault("INFLUXD_VERSION", "v2.9.1"), pid, flags.isEmpty() ? "" : " " + String.join(" ", flags), phase, rounds, history,
                INTERVAL);
        System.out.println();
        System.out.println("| applications | history | tasks | active tasks | influxd CPU-s per minute [rounds] | less idle | peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (SlackReceiver slack = SlackReceiver.onLoopback()) {
            Admin admin = Admin.of(influxd.url(), token);
            for (int apps : scales) {
                measure(admin, slack, pid, apps, historySeconds, history, phase, rounds, before, perTask);
            }
        }
    }

    static void measure(Admin admin, SlackReceiver slack, long pid, int apps, long historySeconds, String history, int phase, int rounds,
            String before, boolean perTask) throws Exception {
        InfluxApi api = admin.api();
        Org org = admin.createOrg("load-" + apps + "-" + UUID.randomUUID().toString().substring(0, 6));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            names.add(String.format("app%04d", i));
            api.createBucket(org.id(), names.get(i), 7 * 86_400, "");
        }
        api.createBucket(org.id(), Bucket.MULTIAPP, 3600, "");
        api.createBucket(org.id(), "roundtable_internal_", 7 * 86_400, "");
        admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
        long now = Instant.now().getEpochSecond() / INTERVAL * INTERVAL;
        for (String name : names) {
            StringBuilder lines = new StringBuilder();
            for (long t = now - historySeconds; t < now; t += INTERVAL) {
                sample(lines, name, t);
                if (lines.length() > 4_000_000) {
                    admin.write(org.id(), name, lines.toString());
                    lines.setLength(0);
                }
            }
            if (lines.length() > 0) {
                admin.write(org.id(), name, lines.toString());
            }
        }
        List<Bucket> buckets = api.buckets(org.id()).stream().filter(Bucket::isApplication).toList();
        Map<String, List<Task>> sets = new LinkedHashMap<>();
        sets.put("none", List.of());
        // The current set before the release's: runs still queued when a set is deactivated would count for the next.
        sets.put("current", create(api, org, tasks(FluxTemplates.bundled(), org).wanted(buckets)));
        if (before == null) {
            sets.put("release", create(api, org, EarlierTasks.PER_APPLICATION.wanted(names, "1m", "1m", "30s", "")));
        } else if (java.util.Arrays.stream(EarlierTasks.values()).anyMatch(release -> release.name().equalsIgnoreCase(before))) {
            sets.put("before", create(api, org, EarlierTasks.valueOf(before.toUpperCase(java.util.Locale.ROOT)).wanted(names, "1m", "1m", "30s", "")));
        } else {
            sets.put("before", create(api, org, tasks(FluxTemplates.from(Path.of(before)), org).wanted(buckets)));
        }
        if (perTask) {
            for (String set : List.copyOf(sets.keySet())) {
                List<Task> all = sets.get(set);
                for (Task task : all) {
                    if (task.name().startsWith(AlertTasks.RECORD_PREFIX)) {
                        sets.put(set + ": " + task.name(), List.of(task));
                    }
                }
                List<Task> slackTasks = all.stream().filter(task -> task.name().startsWith("_slack_")).toList();
                if (!slackTasks.isEmpty()) {
                    sets.put(set + ": the Slack tasks", slackTasks);
                }
            }
        }

        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                long t = Instant.now().getEpochSecond() / INTERVAL * INTERVAL;
                for (String name : names) {
                    StringBuilder lines = new StringBuilder();
                    sample(lines, name, t);
                    admin.write(org.id(), name, lines.toString());
                }
                sleepUntil((t + INTERVAL) * 1000);
            }
        });
        writer.setDaemon(true);
        writer.start();
        try {
            Map<String, List<double[]>> figures = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, List<Task>> set : sets.entrySet()) {
                    setStatus(api, set.getValue(), "active");
                    // A minute to reach the steady state: every task has run once on its schedule.
                    Thread.sleep(60_000);
                    figures.computeIfAbsent(set.getKey(), key -> new ArrayList<>()).add(phase(pid, phase));
                    setStatus(api, set.getValue(), "inactive");
                    // Runs already queued finish before the next phase begins.
                    Thread.sleep(set.getValue().size() > 100 ? 60_000 : 5_000);
                }
            }
            double idle = median(figures.get("none"), 0);
            for (Map.Entry<String, List<double[]>> figure : figures.entrySet()) {
                double cpu = median(figure.getValue(), 0);
                double rss = figure.getValue().stream().mapToDouble(values -> values[1]).max().orElse(0);
                int tasks = sets.get(figure.getKey()).size();
                System.out.printf("| %d | %s | %s | %d | %.2f %s | %s | %.0f |%n", apps, history, figure.getKey(), tasks, cpu, spread(figure.getValue()),
                        figure.getKey().equals("none") ? "" : String.format("%.2f", cpu - idle), rss);
            }
            for (Task task : sets.get("current")) {
                // Each task of the current set ran on its schedule, and its last run succeeded.
                java.util.Optional<TaskRun> last = api.latestRun(task.id());
                if (last.isEmpty() || !last.get().status().equals("success")) {
                    System.out.println("  ! " + task.name() + ": " + last.map(run -> run.status() + " " + run.log()).orElse("no run"));
                }
            }
        } finally {
            writing.set(false);
            writer.join(30_000);
            api.http().delete("/api/v2/orgs/" + org.id());
        }
    }

    /** One kube_inventory gather of an application's pods at time t (seconds). */
    static void sample(StringBuilder lines, String app, long t) {
        Random random = new Random(app.hashCode());
        for (int pod = 0; pod < PODS; pod++) {
            int kind = random.nextInt(20);
            String name = app + "-" + Integer.toHexString(random.nextInt(0xfffff)) + "-" + pod;
            // Mostly running; a crash loop restarting every five minutes; an image that cannot be pulled; an OOM kill; a finished job.
            String phase = kind == 2 ? "Pending" : kind == 4 ? "Succeeded" : "Running";
            String state = kind == 1 || kind == 2 ? "waiting" : kind == 3 || kind == 4 ? "terminated" : "running";
            int code = state.equals("running") ? 0 : state.equals("terminated") ? 1 : 2;
            String reason = switch (kind) {
                case 1 -> "CrashLoopBackOff";
                case 2 -> "ImagePullBackOff";
                case 3 -> "OOMKilled";
                case 4 -> "Completed";
                default -> "";
            };
            long restarts = kind == 1 ? t / 300 % 1000 : random.nextInt(3);
            String tags = "kubernetes_pod_container,cluster=prod,container_name=c" + pod + ",host=node-a,image=registry.example.com/" + app
                    + ":1.0,namespace=" + app + (kind == 2 ? "" : ",node_name=node-" + pod) + ",phase=" + phase + ",pod_name=" + name;
            lines.append(tags).append(",readiness=").append(code == 0 ? "ready" : "unready").append(",state=").append(state)
                    .append(",version=1.0 restarts_total=").append(restarts).append("i,state_code=").append(code)
                    .append("i,resource_requests_millicpu_units=100i,resource_requests_memory_bytes=134217728i,resource_limits_memory_bytes=268435456i");
            if (!reason.isEmpty()) {
                lines.append(",state_reason=\"").append(reason).append('"');
            }
            lines.append(' ').append(t).append('\n');
            for (String condition : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
                lines.append(tags).append(",condition=").append(condition).append(",status=True status_condition=1i,ready=")
                        .append(code == 0 ? 1 : 0).append("i ").append(t).append('\n');
            }
        }
    }

    /** The tasks taskmaker makes with its defaults, from these templates. */
    static AlertTasks tasks(FluxTemplates templates, Org org) {
        return new AlertTasks(templates, "1m", "1m", "30s", "slack_notify_url", "", "roundtable_internal_", 85, 95, WebhookRoutes.NONE,
                org.id(), "5m", "30m");
    }

    static List<Task> create(InfluxApi api, Org org, List<ManagedTask> wanted) {
        List<Task> tasks = new ArrayList<>();
        for (ManagedTask task : wanted) {
            Task created = api.createTask(org.id(), task.flux(), "");
            tasks.add(created);
        }
        setStatus(api, tasks, "inactive");
        return tasks;
    }

    static void setStatus(InfluxApi api, List<Task> tasks, String status) {
        for (Task task : tasks) {
            api.http().patch("/api/v2/tasks/" + task.id(), Json.object().add("status", status));
        }
    }

    /** influxd's CPU-seconds per minute over the phase, and its peak RSS in MB. */
    static double[] phase(long pid, int seconds) throws Exception {
        long ticks = ticks(pid);
        long start = System.nanoTime();
        double peak = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            peak = Math.max(peak, rssMegabytes(pid));
            Thread.sleep(1000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {(ticks(pid) - ticks) / (double) TICKS_PER_SECOND / elapsed * 60, peak};
    }

    static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static double rssMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    static double median(List<double[]> values, int column) {
        List<Double> sorted = values.stream().map(value -> value[column]).sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The lowest and highest CPU figure of the rounds: medians of two or three rounds hide noise of a CPU-second or more. */
    static String spread(List<double[]> values) {
        java.util.DoubleSummaryStatistics stats = values.stream().mapToDouble(value -> value[0]).summaryStatistics();
        return String.format("[%.2f-%.2f]", stats.getMin(), stats.getMax());
    }

    static void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whole-unit durations such as 1h, 1d or 7d, in seconds. */
    static final class Durations {
        static long seconds(String duration) {
            long n = Long.parseLong(duration.substring(0, duration.length() - 1));
            return switch (duration.charAt(duration.length() - 1)) {
                case 'm' -> n * 60;
                case 'h' -> n * 3600;
                case 'd' -> n * 86_400;
                default -> throw new IllegalArgumentException("--history takes m, h or d: " + duration);
            };
        }
    }
}

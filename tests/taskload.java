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
 * (two per application, EarlierTasks.PER_APPLICATION) and the current one's. influxd is left to
 * snapshot and compact the history first (settle()). Then, in turn, no task, the release's and the
 * current ones are active on their real 1m schedules for a phase each, each round starting one set
 * later; influxd's CPU time (utime + stime) over a phase, less that of the phase without tasks, is
 * what the tasks cost; peak RSS is sampled every second. With --before, another earlier release
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
    /**
     * A shard not written for a minute is snapshotted and fully compacted (by default after 10 minutes
     * and 4 hours): the history written in minutes is then stored as a server that has held it for
     * days stores it. The shards being written, where the tasks read, are not affected.
     */
    static final List<String> SETTLED_HISTORY = List.of("--storage-cache-snapshot-write-cold-duration=1m",
            "--storage-compact-full-write-cold-duration=1m");

    public static void main(String... args) throws Exception {
        List<Integer> scales = List.of(30, 300, 1000);
        String history = "1h";
        int phase = 180;
        int rounds = 2;
        String before = null;
        boolean perTask = false;
        List<String> flags = new ArrayList<>(SETTLED_HISTORY);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apps" -> scales = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--history" -> history = args[++i];
                case "--phase" -> phase = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--before" -> before = args[++i];
                case "--per-task" -> perTask = true;
                case "--pprof-disabled" -> flags.add("--pprof-disabled");
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
        Org org = populate(admin, slack, "load-", apps, historySeconds, history).org();
        List<String> names = applications(apps);
        List<Bucket> buckets = api.buckets(org.id()).stream().filter(Bucket::isApplication).toList();
        Map<String, List<Task>> sets = new LinkedHashMap<>();
        sets.put("none", List.of());
        // The current set before the release's: runs still queued when a set is deactivated would count for the next.
        sets.put("current", create(api, org, tasks(FluxTemplates.bundled(), org).wanted(buckets)));
        sets.put(before == null ? "release" : "before", create(api, org, earlier(before, org, names, buckets)));
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

        LiveWriter writer = new LiveWriter(admin, org, names);
        try {
            Map<String, List<double[]>> figures = new LinkedHashMap<>();
            List<Map.Entry<String, List<Task>>> order = new ArrayList<>(sets.entrySet());
            for (int round = 0; round < rounds; round++) {
                // Each round starts one set later, so that no set is always measured first or last.
                for (int i = 0; i < order.size(); i++) {
                    Map.Entry<String, List<Task>> set = order.get((i + round) % order.size());
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
            for (String set : sets.keySet()) {
                List<double[]> measured = figures.get(set);
                double cpu = median(measured, 0);
                double rss = measured.stream().mapToDouble(values -> values[1]).max().orElse(0);
                System.out.printf("| %d | %s | %s | %d | %.2f %s | %s | %.0f |%n", apps, history, set, sets.get(set).size(), cpu,
                        spread(measured, "%.2f"), set.equals("none") ? "" : String.format("%.2f", cpu - idle), rss);
            }
            for (Task task : sets.get("current")) {
                // Each task of the current set ran on its schedule, and its last run succeeded.
                java.util.Optional<TaskRun> last = api.latestRun(task.id());
                if (last.isEmpty() || !last.get().status().equals("success")) {
                    System.out.println("  ! " + task.name() + ": " + last.map(run -> run.status() + " " + run.log()).orElse("no run"));
                }
            }
        } finally {
            writer.close();
            api.http().delete("/api/v2/orgs/" + org.id());
        }
    }

    /**
     * An org of N application buckets holding the given history, written as fast as influxd takes it
     * and then left to settle; its Slack secret points at the receiver.
     */
    static Filled populate(Admin admin, SlackReceiver slack, String prefix, int apps, long historySeconds, String history) throws Exception {
        InfluxApi api = admin.api();
        Org org = admin.createOrg(prefix + apps + "-" + UUID.randomUUID().toString().substring(0, 6));
        List<String> names = applications(apps);
        for (String name : names) {
            api.createBucket(org.id(), name, 7 * 86_400, "");
        }
        api.createBucket(org.id(), Bucket.MULTIAPP, 3600, "");
        api.createBucket(org.id(), "roundtable_internal_", 7 * 86_400, "");
        admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
        long now = Instant.now().getEpochSecond() / INTERVAL * INTERVAL;
        long written = System.nanoTime();
        inParallel(names.stream().map(name -> (Runnable) () -> writeSamples(admin, org, name, now - historySeconds, now)).toList());
        System.err.printf("  %d applications, %s of history written in %.0f s%n", apps, history, (System.nanoTime() - written) / 1e9);
        settle(admin);
        return new Filled(org, now - historySeconds, now);
    }

    /** An org populate() filled, and the times (seconds) of the history it wrote. */
    record Filled(Org org, long from, long to) {}

    /** Writes every application's samples from a time up to now: the minutes since populate() ended, say. */
    static void catchUp(Admin admin, Org org, List<String> names, long since) {
        long now = Instant.now().getEpochSecond();
        inParallel(names.stream().map(name -> (Runnable) () -> writeSamples(admin, org, name, since, now)).toList());
    }

    /**
     * Writes the data of today (UTC, from a time on) again, up to now, into the shard being written,
     * an hour of every bucket at a time: none is left unwritten for a minute, so all of it stays in
     * influxd's cache. That is where a server that has taken Telegraf's writes since midnight holds
     * them, up to 25 MB a shard; a read takes every value its series has in the cache, whatever its
     * range. populate() leaves the cache empty.
     */
    static void todayInCache(Admin admin, Org org, List<String> names, long since) {
        long now = Instant.now().getEpochSecond();
        for (long hour = Math.max(now / 86_400 * 86_400, since); hour < now; hour += 3600) {
            long from = hour;
            inParallel(names.stream().map(name -> (Runnable) () -> writeSamples(admin, org, name, from, Math.min(from + 3600, now))).toList());
        }
    }

    /** Runs the writes on two threads, as influxd parses one request while the next is being built. */
    static void inParallel(List<Runnable> writes) {
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (java.util.concurrent.Future<?> write : writes.stream().map(writers::submit).toList()) {
                write.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            writers.shutdown();
        }
    }

    /** An application's samples from one time up to (not including) another, in seconds. */
    static void writeSamples(Admin admin, Org org, String name, long from, long to) {
        StringBuilder lines = new StringBuilder();
        for (long t = from / INTERVAL * INTERVAL; t < to; t += INTERVAL) {
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

    static List<String> applications(int apps) {
        return java.util.stream.IntStream.range(0, apps).mapToObj(i -> String.format("app%04d", i)).toList();
    }

    /** Writes the current sample of every application every 10 s, as Telegraf does, until closed. */
    static final class LiveWriter implements AutoCloseable {
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Thread thread;

        LiveWriter(Admin admin, Org org, List<String> names) {
            thread = new Thread(() -> {
                while (writing.get()) {
                    long t = Instant.now().getEpochSecond() / INTERVAL * INTERVAL;
                    for (String name : names) {
                        writeSamples(admin, org, name, t, t + INTERVAL);
                    }
                    sleepUntil((t + INTERVAL) * 1000);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            writing.set(false);
            thread.join(30_000);
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

    /**
     * Waits until influxd has snapshotted and compacted what was just written, as a server holding that
     * history has long done: with SETTLED_HISTORY, a shard that has not been written for a minute is
     * snapshotted and fully compacted. Otherwise the compactions of minutes of writing would land in
     * whichever phase comes first. Settled means, in influxd's metrics, no compaction queued and the
     * number of TSM files and the bytes in the cache as they were 15 s before (nothing else writes).
     */
    static void settle(Admin admin) throws Exception {
        long start = System.nanoTime();
        Thread.sleep(90_000);
        String before = "";
        int quiet = 0;
        while (quiet < 2) {
            Thread.sleep(15_000);
            double queued = 0;
            double files = 0;
            double cached = 0;
            for (String line : admin.metrics().split("\n")) {
                double value = line.startsWith("storage_") ? Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) : 0;
                if (line.startsWith("storage_compactions_queued{")) {
                    queued += value;
                } else if (line.startsWith("storage_tsm_files_total{")) {
                    files += value;
                } else if (line.startsWith("storage_cache_inuse_bytes{")) {
                    cached += value;
                }
            }
            String now = files + " " + cached;
            quiet = queued == 0 && now.equals(before) ? quiet + 1 : 0;
            before = now;
        }
        System.err.printf("  compactions done %.0f s after the writing%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * The tasks to weigh the current ones against: the last release's (before is null), an earlier
     * release's by name (EarlierTasks), or those rendered from the templates of a folder.
     */
    static List<ManagedTask> earlier(String before, Org org, List<String> names, List<Bucket> buckets) {
        if (before == null) {
            return EarlierTasks.PER_APPLICATION.wanted(names, "1m", "1m", "30s", "");
        }
        if (java.util.Arrays.stream(EarlierTasks.values()).anyMatch(release -> release.name().equalsIgnoreCase(before))) {
            return EarlierTasks.valueOf(before.toUpperCase(java.util.Locale.ROOT)).wanted(names, "1m", "1m", "30s", "");
        }
        FluxTemplates templates = FluxTemplates.from(Path.of(before));
        try {
            if (Files.readString(Path.of(before, "application.stg")).contains("\nevents(")) {
                return tasks(templates, org).wanted(buckets);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // A folder of the templates before the events task: its two record tasks, as they were made.
        List<ManagedTask> wanted = new ArrayList<>(EarlierTasks.recordTasks(templates, names, "1m"));
        wanted.addAll(tasks(templates, org).alertTasks());
        return wanted;
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

    /** The lowest and highest CPU figure of the rounds (or runs): medians of two or three rounds hide noise of a CPU-second or more. */
    static String spread(List<double[]> values, String format) {
        java.util.DoubleSummaryStatistics stats = values.stream().mapToDouble(value -> value[0]).summaryStatistics();
        return String.format("[" + format + "-" + format + "]", stats.getMin(), stats.getMax());
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

///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION What one run of each generated task costs influxd, by number of applications and by retained history, with Flux's own profile (not a test).
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
//SOURCES taskload.java

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import alerts.FluxTemplates;
import alerts.ManagedTask;
import influx.Bucket;
import influx.Org;

/**
 * One run of each task, on its own (not a test). Where tests/taskload.java weighs the tasks as
 * scheduled, among Telegraf's writes, this holds everything else still: for each history and number
 * of applications, an org is filled as taskload fills it (the same pods, the same settled storage)
 * and the samples of the minutes since are written; then the Flux of each task runs as a query, in
 * turn, the given number of times, and influxd's CPU time over each run is read from /proc. Then the
 * data of today (UTC) is written again, so that influxd's cache holds it as on a server that has
 * taken Telegraf's writes since midnight, and the tasks run again. The first run of each task is
 * left out: it writes the records that later runs find (restart counts, posts to Slack). Flux's
 * profiler adds how long a run took and the most memory it held at once. With --before, the tasks
 * of an earlier release (by name) or of a template folder run beside the current ones.
 *
 * <pre>./jbang tests/taskprofile.java [--apps 30,300,1000] [--history 1h,1d,7d] [--runs 6] [--before NAME|DIR]</pre>
 */
public class taskprofile {
    public static void main(String... args) throws Exception {
        List<Integer> scales = List.of(30, 300, 1000);
        List<String> histories = List.of("1h");
        int runs = 6;
        String before = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apps" -> scales = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--history" -> histories = List.of(args[++i].split(","));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--before" -> before = args[++i];
                default -> {
                    System.err.println("usage: ./jbang tests/taskprofile.java [--apps 30,300,1000] [--history 1h,1d,7d] [--runs N] [--before NAME|TEMPLATE_DIR]");
                    System.exit(2);
                }
            }
        }
        String token = "operator-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults().withFlags(taskload.SETTLED_HISTORY), token);
        long pid = influxd.keepRunning();
        Runtime.getRuntime().addShutdownHook(new Thread(influxd::destroy));
        System.out.printf("influxd %s (pid %d) %s, %d runs of each task, the first left out%n%n",
                System.getenv().getOrDefault("INFLUXD_VERSION", "v2.9.1"), pid, String.join(" ", taskload.SETTLED_HISTORY), runs);
        System.out.println("| applications | history | tasks | task | influxd CPU ms per run [runs] | Flux ms per run | Flux peak memory MB |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (SlackReceiver slack = SlackReceiver.onLoopback()) {
            Admin admin = Admin.of(influxd.url(), token);
            for (String history : histories) {
                for (int apps : scales) {
                    profile(admin, pid, slack, apps, history, runs, before);
                }
            }
        }
    }

    static void profile(Admin admin, long pid, SlackReceiver slack, int apps, String history, int runs, String before) throws Exception {
        taskload.Filled filled = taskload.populate(admin, slack, "profile-", apps, taskload.Durations.seconds(history), history);
        Org org = filled.org();
        List<String> names = taskload.applications(apps);
        List<Bucket> buckets = admin.api().buckets(org.id()).stream().filter(Bucket::isApplication).toList();
        List<List<ManagedTask>> sets = new ArrayList<>();
        sets.add(taskload.tasks(FluxTemplates.bundled(), org).wanted(buckets));
        sets.add(taskload.earlier(before, org, names, buckets));
        List<String> labels = List.of("current", before == null ? "release" : "before");
        taskload.catchUp(admin, org, names, filled.to());
        runEach(admin, pid, org, apps, history + ", settled", runs, sets, labels);
        taskload.todayInCache(admin, org, names, filled.from());
        runEach(admin, pid, org, apps, history + ", today in the cache", runs, sets, labels);
        admin.api().http().delete("/api/v2/orgs/" + org.id());
    }

    static void runEach(Admin admin, long pid, Org org, int apps, String history, int runs, List<List<ManagedTask>> sets, List<String> labels)
            throws Exception {
        for (int set = 0; set < sets.size(); set++) {
            List<ManagedTask> tasks = sets.get(set);
            List<List<double[]>> figures = new ArrayList<>();
            tasks.forEach(task -> figures.add(new ArrayList<>()));
            for (int run = 0; run < runs; run++) {
                for (int i = 0; i < tasks.size(); i++) {
                    double[] figure = run(admin, pid, org, tasks.get(i).flux());
                    if (run > 0) {
                        figures.get(i).add(figure);
                    }
                }
            }
            double total = 0;
            for (int i = 0; i < tasks.size(); i++) {
                List<double[]> values = figures.get(i);
                double cpu = taskload.median(values, 0);
                total += cpu;
                // The release's tasks are two per application: the first application's stand for the rest.
                if (i < 8 || tasks.size() <= 10) {
                    System.out.printf("| %d | %s | %s | %s | %.0f %s | %.0f | %.1f |%n", apps, history, labels.get(set), tasks.get(i).name(), cpu,
                            taskload.spread(values, "%.0f"), taskload.median(values, 1), taskload.median(values, 2));
                }
            }
            System.out.printf("| %d | %s | %s | all %d, one run each | %.0f | | |%n", apps, history, labels.get(set), tasks.size(), total);
        }
    }

    /** One run of a task's Flux: influxd's CPU milliseconds over it, and the profiler's duration (ms) and peak memory (MB). */
    static double[] run(Admin admin, long pid, Org org, String flux) throws Exception {
        String profiled = "import \"profiler\"\n" + flux.replace("option task =", "option profiler.enabledProfilers = [\"query\"]\noption task =");
        long ticks = taskload.ticks(pid);
        String csv = admin.query(org.id(), profiled);
        double cpu = (taskload.ticks(pid) - ticks) * 1000.0 / taskload.TICKS_PER_SECOND;
        List<String> header = null;
        for (String line : csv.split("\r?\n")) {
            List<String> cells = List.of(line.split(",", -1));
            if (cells.contains("TotalDuration")) {
                header = cells;
            } else if (header != null && !line.isBlank() && !line.startsWith("#")) {
                return new double[] {cpu, Double.parseDouble(cells.get(header.indexOf("TotalDuration"))) / 1e6,
                        Double.parseDouble(cells.get(header.indexOf("MaxAllocated"))) / 1e6};
            }
        }
        throw new IllegalStateException("no profile in the answer");
    }
}

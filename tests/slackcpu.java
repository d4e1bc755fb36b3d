///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Measures influxd's CPU per run of each Slack task, without routes and with per-cluster routes (docs/taskmaker.md, Per-cluster Slack routes).
//DEPS org.testcontainers:testcontainers-influxdb:2.0.5
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//SOURCES ../lib/influx/*.java
//SOURCES ../lib/plan/*.java
//SOURCES ../lib/cli/*.java
//SOURCES ../lib/alerts/*.java
//SOURCES ../lib/tokens/*.java
//SOURCES ../bucketmapper.java
//SOURCES ../tokenmaker.java
//SOURCES ../taskmaker.java
//SOURCES support/*.java

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import influx.Org;
import influx.Task;
import influx.TaskRun;

/**
 * Not a test: starts an influxd of its own, sets up one org per variant (the same Telegraf-like
 * samples, the Slack secret, and for the routed variant two per-cluster routes), runs taskmaker
 * with hourly schedules so that nothing runs on its own, then forces each Slack task RUNS times
 * in a row and reads influxd's CPU time (utime + stime from /proc) around them. Variants take
 * turns, ROUNDS times; it prints the median ms of influxd CPU per run. Steady state: every alert
 * was already posted once before measuring, as on a server where nothing new happened.
 */
public class slackcpu {
    static int RUNS = 20;
    static int ROUNDS = 3;

    /**
     * Arguments: [rounds [runs]] [--before DIR]. With --before, the templates of DIR (say, main's,
     * from git show) against today's, both without routes, to weigh a change of the Slack tasks' Flux.
     */
    public static void main(String... args) throws Exception {
        List<String> counts = new ArrayList<>();
        String beforeTemplates = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--before")) {
                beforeTemplates = args[++i];
            } else {
                counts.add(args[i]);
            }
        }
        if (counts.size() > 0) {
            ROUNDS = Integer.parseInt(counts.get(0));
        }
        if (counts.size() > 1) {
            RUNS = Integer.parseInt(counts.get(1));
        }
        String token = "cpu-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        long pid = influxd.keepRunning();
        try (SlackReceiver fallback = SlackReceiver.onLoopback(); SlackReceiver alpha = SlackReceiver.onLoopback();
                SlackReceiver beta = SlackReceiver.onLoopback()) {
            Admin admin = Admin.of(influxd.url(), token);
            String routes = "- webhook_url: " + alpha.url() + "\n  channel: '#status-prod-east'\n  phalanx_host: prod-east\n"
                    + "- webhook_url: " + beta.url() + "\n  channel: '#status-other'\n  phalanx_host: other\n";
            Map<String, Map<String, String>> variants = new LinkedHashMap<>();
            if (beforeTemplates != null) {
                variants.put("before, no routes", setUp(admin, influxd.url(), token, fallback, null, "--template-dir", beforeTemplates));
            }
            variants.put("no routes", setUp(admin, influxd.url(), token, fallback, null));
            if (beforeTemplates == null) {
                variants.put("two routes", setUp(admin, influxd.url(), token, fallback, routes));
            }
            variants.put("reference", reference(admin));
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<String, Map<String, String>> variant : variants.entrySet()) {
                    for (Map.Entry<String, String> task : variant.getValue().entrySet()) {
                        long before = cpuMillis(pid);
                        for (int i = 0; i < RUNS; i++) {
                            TaskRun run = forceRun(admin.api(), task.getValue());
                            if (!run.status().equals("success")) {
                                throw new IllegalStateException(task.getKey() + " failed: " + run.log());
                            }
                        }
                        double perRun = (cpuMillis(pid) - before) / (double) RUNS;
                        results.computeIfAbsent(variant.getKey() + " | " + task.getKey(), key -> new ArrayList<>()).add(perRun);
                        System.err.printf("round %d, %s | %s: %.1f ms%n", round + 1, variant.getKey(), task.getKey(), perRun);
                    }
                }
            }
            System.out.println("\"reference\" is a task that only yields one row: the fixed cost of a forced run and of waiting for it.");
            System.out.println("influxd CPU ms per run, median of " + ROUNDS + " rounds of " + RUNS + " forced runs (all rounds):");
            results.forEach((name, values) -> {
                List<Double> sorted = new ArrayList<>(values);
                Collections.sort(sorted);
                System.out.printf("%-45s %6.1f   %s%n", name, sorted.get(sorted.size() / 2), values);
            });
            System.out.println("messages: default " + fallback.messages().size() + ", prod-east " + alpha.messages().size()
                    + ", other " + beta.messages().size());
        } finally {
            influxd.destroy();
        }
    }

    /** A task that does next to nothing, for the fixed cost of forcing a run and asking for its end. */
    static Map<String, String> reference(Admin admin) {
        Org org = admin.createOrg("cpu-ref-" + UUID.randomUUID().toString().substring(0, 8));
        String id = admin.api().createTask(org.id(), "import \"array\"\n\noption task = {name: \"reference\", every: 1h}\n\n"
                + "array.from(rows: [{_value: 1}]) |> yield()\n", "reference").id();
        return Map.of("reference", id);
    }

    /** One org as the variant has it; answers the Slack tasks' IDs by name, each already run once. */
    static Map<String, String> setUp(Admin admin, String url, String token, SlackReceiver fallback, String routes, String... options) {
        influx.InfluxApi api = admin.api();
        Org org = admin.createOrg("cpu-" + UUID.randomUUID().toString().substring(0, 8));
        for (String bucket : List.of("shop", "billing", "inventory", "roundtable_internal_")) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
        api.createBucket(org.id(), "multiapp_", 3600, "");
        String telegrafToken = api.createAuthorization(org.id(), null, "telegraf",
                tokens.TokenPurpose.TELEGRAF.permissions(org.id(), null)).token();
        try (TelegrafSamples samples = new TelegrafSamples()) {
            samples.write(admin, org, url, telegrafToken);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        // A second cluster, so that the routed variant has two routes to use.
        long t = java.time.Instant.now().getEpochSecond() - 120;
        admin.write(org.id(), "shop", "kubernetes_pod_container,cluster=other,namespace=shop,pod_name=x-1,container_name=x,phase=Running"
                + " restarts_total=1i,state_code=0i " + t + "\nkubernetes_pod_container,cluster=other,namespace=shop,pod_name=x-1,"
                + "container_name=x,phase=Running restarts_total=2i,state_code=0i " + (t + 30));
        admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", url);
        env.put("INFLUXDB_ORG", org.name());
        env.put("INFLUXDB_TOKEN", token);
        if (routes != null) {
            env.put("WEBHOOKS_YAML", routes);
        }
        List<String> arguments = new ArrayList<>(List.of("--every", "1h", "--alert-every", "1h"));
        arguments.addAll(List.of(options));
        ToolResult run = ToolResult.run(taskmaker::new, env, arguments.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new IllegalStateException(run.toString());
        }
        Map<String, String> slack = new LinkedHashMap<>();
        for (Task task : api.tasks(org.id())) {
            if (!task.name().startsWith("_slack_notify_")) {
                TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
            } else {
                slack.put(task.name(), task.id());
            }
        }
        slack.values().forEach(id -> TaskRuns.runToCompletion(api, id, Duration.ofSeconds(60)));
        return new java.util.TreeMap<>(slack);
    }

    /**
     * One forced run, waited for. influxd 2.9.1 sometimes panics (HTTP 500) when a run is read
     * just as it finishes; such an answer is asked again.
     */
    static TaskRun forceRun(influx.InfluxApi api, String taskId) throws InterruptedException {
        String runId = api.http().createOnce("/api/v2/tasks/" + taskId + "/runs", com.eclipsesource.json.Json.object())
                .asObject().getString("id", "");
        for (int attempt = 0; attempt < 600; attempt++) {
            // Few polls: each is a request influxd spends CPU on, measured alongside the run.
            Thread.sleep(attempt == 0 ? 400 : 100);
            try {
                TaskRun run = api.run(taskId, runId);
                if (List.of("success", "failed", "canceled").contains(run.status())) {
                    return run;
                }
            } catch (influx.ApiException e) {
                if (e.status() != 404 && e.status() / 100 != 5) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("run " + runId + " of task " + taskId + " did not finish");
    }

    /** influxd's user and system CPU time so far, from /proc (clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }
}

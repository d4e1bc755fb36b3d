///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION A throwaway InfluxDB with sample data, set up by tokenmaker, bucketmapper and taskmaker, to see what the tools do.
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import influx.Dbrp;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import influx.TaskRun;

/**
 * First contact: the tools run for real, in-process through their own commands, against a
 * throwaway server (the test suite's: Docker if it answers, else the local influxd), the way an
 * operator would run them: tokenmaker with the operator token, then bucketmapper and taskmaker
 * with the tokens it made. Exits non-zero if any step fails.
 */
public class sandbox {
    static final String USAGE = "usage: ./jbang tests/sandbox.java [--keep]\n"
            + "  --keep  leave the server running afterwards and print its URL, org and operator token";
    static final String CHANNEL = "#sandbox-alerts";
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    public static void main(String... args) {
        boolean keep = false;
        for (String arg : args) {
            switch (arg) {
                case "--keep" -> keep = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("sandbox: unknown argument '" + arg + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        System.exit(run(keep) ? 0 : 1);
    }

    /** Answers whether every step worked; a step that throws stops the rest. */
    static boolean run(boolean keep) {
        Heading.print("Starting a throwaway InfluxDB " + InfluxServer.VERSION
                + " (Docker if it answers, else a local influxd, built on first use)");
        InfluxServer server;
        try {
            server = InfluxServer.shared();
        } catch (RuntimeException e) {
            System.err.println("sandbox: FAILED: " + e.getMessage());
            return false;
        }
        if (keep && server.local() == null) {
            System.err.println("sandbox: FAILED: --keep can keep only a local influxd: Testcontainers removes its"
                    + " container when the sandbox exits (set INFLUX_TOOLS_TEST_DOCKER=false), and a server of"
                    + " INFLUXDB_TEST_URL is yours already");
            return false;
        }
        // A heading of its own, before anything is made in the server: a first use builds Telegraf,
        // and its progress lines belong under it.
        Heading.print("Telegraf, to write the sample data (built from source on first use)");
        try {
            System.out.println("telegraf: " + Telegraf.binary());
        } catch (RuntimeException e) {
            System.err.println("sandbox: FAILED: " + e.getMessage());
            return false;
        }
        Admin operatorAdmin = server.operatorAdmin();
        InfluxApi operator = operatorAdmin.api();
        Org org = server.newOrg("sandbox");
        Checks checks = new Checks();
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            setUp(operatorAdmin, org, slack);
            Tokens tokens = makeTokens(server, org, checks);
            writeSamples(server, operatorAdmin, org, samples, tokens.telegraf());
            runTool("bucketmapper", bucketmapper::new, "the token tokenmaker made for bucketmapper",
                    server.env(org, tokens.bucketmapper()), checks);
            runTool("taskmaker", taskmaker::new, "the token tokenmaker made for taskmaker",
                    server.env(org, tokens.taskmaker()), checks, "--channel", CHANNEL);
            forceOneRunOfEachTask(operator, org, samples, checks);
            Show.mappings(operator, org);
            Show.tasks(operator, org);
            Show.slackMessages(slack, checks);
        } catch (RuntimeException | IOException e) {
            checks.fail("sandbox stopped: " + e);
        } finally {
            if (keep) {
                Show.kept(server, org);
            } else if (server.local() == null) {
                // Docker's container goes with this JVM; a server of the user's (INFLUXDB_TEST_URL) keeps only its org.
                operator.http().delete("/api/v2/orgs/" + org.id());
            }
        }
        return checks.report();
    }

    /** What the tools will find: application and host buckets, the Slack secret. */
    static void setUp(Admin operatorAdmin, Org org, SlackReceiver slack) {
        InfluxApi operator = operatorAdmin.api();
        Heading.print("Org \"" + org.name() + "\": buckets and the Slack secret");
        operator.createBucket(org.id(), "shop", Duration.ofDays(7).toSeconds(), "sample application");
        operator.createBucket(org.id(), "billing", Duration.ofDays(3).toSeconds(), "sample application");
        operator.createBucket(org.id(), "inventory", 0, "sample application without data (retention: infinite)");
        operator.createBucket(org.id(), "roundtable_internal_", Duration.ofDays(1).toSeconds(), "sample host metrics");
        System.out.println("buckets: shop (1w), billing (3d), inventory (infinite), roundtable_internal_ (1d)");
        operatorAdmin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
        System.out.println("secret slack_notify_url = " + slack.url() + " (a Slack stand-in in this process)");
    }

    /** Seven minutes of a cluster, as the real Telegraf reports it from a Kubernetes API stand-in. */
    static void writeSamples(InfluxServer server, Admin operatorAdmin, Org org, TelegrafSamples samples, String telegrafToken) {
        Heading.print("Telegraf " + Telegraf.binary().getParent().getFileName() + ": pods read from a Kubernetes API"
                + " stand-in at " + samples.kubernetes().url() + ", written with the telegraf token");
        samples.write(operatorAdmin, org, server.url(), telegrafToken);
        System.out.println("shop: web restarted, cache-0 recreated, pods starting up, importer and gpu-trainer-0 Pending"
                + " for 7 minutes,\n      a finished job; billing (no cluster tag): a crash loop, images that cannot be"
                + " pulled, a bad config,\n      OOMKilled twice, an evicted pod; inventory: all well;"
                + " roundtable_internal_: /data 97% full, full read-only mounts");
    }

    record Tokens(String taskmaker, String bucketmapper, String telegraf) {}

    /** tokenmaker writes each token to a 0600 file, as an operator would; read back here and deleted. */
    static Tokens makeTokens(InfluxServer server, Org org, Checks checks) throws IOException {
        Path folder = Files.createTempDirectory("influx-tools-sandbox-");
        try {
            Map<String, String> operatorEnv = server.env(org);
            Path taskmakerToken = folder.resolve("taskmaker.token");
            Path bucketmapperToken = folder.resolve("bucketmapper.token");
            Path telegrafToken = folder.resolve("telegraf.token");
            runTool("tokenmaker", tokenmaker::new, "the operator token", operatorEnv, checks, "--for", "taskmaker",
                    "--output-file", taskmakerToken.toString());
            runTool("tokenmaker", tokenmaker::new, "the operator token", operatorEnv, checks, "--for", "bucketmapper",
                    "--output-file", bucketmapperToken.toString());
            runTool("tokenmaker", tokenmaker::new, "the operator token", operatorEnv, checks, "--for", "telegraf",
                    "--output-file", telegrafToken.toString());
            return new Tokens(Files.readString(taskmakerToken), Files.readString(bucketmapperToken),
                    Files.readString(telegrafToken));
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    /** Runs a tool through its real command line and shows what it printed, as a terminal would. */
    static void runTool(String name, Function<Map<String, String>, Object> tool, String whoseToken, Map<String, String> env,
            Checks checks, String... args) {
        Heading.print("$ " + name + " " + String.join(" ", args) + "    (INFLUXDB_TOKEN: " + whoseToken + ")");
        ToolResult result = ToolResult.run(tool, env, args);
        System.out.print(result.out());
        System.out.print(result.err());
        checks.expect(result.exitCode() == 0, name + " " + String.join(" ", args) + " exited " + result.exitCode());
    }

    /**
     * The tasks that record events first: the Slack tasks alert on what those write to multiapp_.
     * The record task first catches up with the earlier samples, as if it had run while they were
     * taken (it reads only the last two minutes).
     */
    static void forceOneRunOfEachTask(InfluxApi operator, Org org, TelegrafSamples samples, Checks checks) {
        Heading.print("Forcing one run of each task (they also run every minute on their own)");
        List<Task> tasks = new ArrayList<>(operator.tasks(org.id()));
        tasks.sort(Comparator.comparing((Task task) -> task.name().startsWith("_slack")).thenComparing(Task::name));
        for (Task task : tasks) {
            if (task.name().equals("_record_events")) {
                for (java.time.Instant at : samples.afterEachEarlierSample()) {
                    TaskRun caughtUp = TaskRuns.runAsOf(operator, task.id(), at, RUN_TIMEOUT);
                    checks.expect(caughtUp.status().equals("success"), "task \"" + task.name() + "\" run as of " + at + " "
                            + caughtUp.status() + ": " + String.join(" / ", caughtUp.log()));
                }
            }
            TaskRun run = TaskRuns.runToCompletion(operator, task.id(), RUN_TIMEOUT);
            System.out.println(String.format("%-28s %s", task.name(), run.status()));
            checks.expect(run.status().equals("success"), "task \"" + task.name() + "\" run " + run.status() + ": "
                    + String.join(" / ", run.log()));
        }
    }

    static final class Heading {
        private Heading() {}

        static void print(String title) {
            System.out.println();
            System.out.println("== " + title);
        }
    }

    /** What exists afterwards, as the server reports it. */
    static final class Show {
        private Show() {}

        static void mappings(InfluxApi operator, Org org) {
            Heading.print("DBRP mappings (database/retention policy; InfluxDB's read-only virtual ones left out)");
            operator.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                    .sorted(Comparator.comparing(Dbrp::database))
                    .forEach(mapping -> System.out.println(mapping.database() + "/" + mapping.retentionPolicy()
                            + (mapping.isDefault() ? " (default)" : "")));
        }

        static void tasks(InfluxApi operator, Org org) {
            Heading.print("Tasks and their last run");
            operator.tasks(org.id()).stream().sorted(Comparator.comparing(Task::name)).forEach(task -> System.out.println(
                    String.format("%-28s %-8s last run: %s", task.name(), task.status(), operator.latestRun(task.id())
                            .map(run -> run.status() + " (scheduled for " + run.scheduledFor() + ")").orElse("none"))));
        }

        /** The samples hold 15 problems (docs/alerts.md); a few of them are checked here. */
        static void slackMessages(SlackReceiver slack, Checks checks) {
            Heading.print("Slack messages received by the stand-in");
            List<SlackReceiver.Message> messages = slack.messages();
            messages.forEach(message -> System.out.println("[" + message.color() + "] " + message.channel() + " "
                    + message.text()));
            checks.expect(messages.size() == 15, "expected 15 Slack messages, got " + messages.size());
            for (String text : List.of("Container web of pod web-7d9f8c6b5-x2x4q restarted 1 time",
                    "Container worker of pod worker-55c1d9-k2j4x is waiting (CrashLoopBackOff)",
                    "Pod ledger-6c9b8d-w4xk7 failed (Evicted)", "Disk /data on host roundtable01 is 97% full")) {
                checks.expect(messages.stream().anyMatch(message -> message.text().contains(text)), "no message \"" + text + "\"");
            }
        }

        static void kept(InfluxServer server, Org org) {
            LocalInfluxd local = server.local();
            long pid = local.keepRunning();
            Heading.print("Kept running (--keep)");
            System.out.println("INFLUXDB_URL=" + server.url());
            System.out.println("INFLUXDB_ORG=" + org.name());
            System.out.println("INFLUXDB_TOKEN=" + server.operatorToken() + "    (the operator token)");
            System.out.println("The Slack stand-in stopped with the sandbox, so the _slack_notify_* tasks now fail.");
            System.out.println("Stop it and remove its data: kill " + pid + " && rm -rf " + local.dataFolder());
        }
    }

    /** Failed steps, collected so that one failure still shows what the others did. */
    static final class Checks {
        private final List<String> failures = new ArrayList<>();

        void expect(boolean ok, String failure) {
            if (!ok) {
                fail(failure);
            }
        }

        void fail(String failure) {
            failures.add(failure);
        }

        boolean report() {
            System.out.println();
            if (failures.isEmpty()) {
                System.out.println("sandbox: every step worked");
                return true;
            }
            failures.forEach(failure -> System.err.println("sandbox: FAILED: " + failure));
            return false;
        }
    }
}

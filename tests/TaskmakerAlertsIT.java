import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import influx.Org;
import influx.Task;
import org.junit.jupiter.api.Test;

/**
 * End to end, no mocks: the real Telegraf reads real Pod objects from a Kubernetes API stand-in and
 * writes what it writes into three application buckets (TelegrafSamples lists the situations);
 * taskmaker's tasks are forced to run on the real server, and the Slack messages they really post
 * reach a local receiver. Each message is checked word for word.
 */
class TaskmakerAlertsIT extends RealServerTest {
    private static final String SHOP = " (application shop, namespace shop, cluster prod-east)";
    private static final String BILLING = " (application billing, namespace billing, cluster unknown)";
    private static final List<String> SLACK_TASKS = List.of("_slack_notify_restarts", "_slack_notify_state_checks",
            "_slack_notify_disk_checks");

    @Test
    void alertsWhatTelegrafReportsAsItShould() throws Exception {
        // An org of its own, named unlike the server's default one: nothing may assume an org name.
        Org org = server.newOrg("tm-e2e");
        TelegrafSamples.createBuckets(api, org);
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            samples.checkDiskSchema();
            // The CronJob's way: least-privilege tokens from tokenmaker, not the operator's.
            String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
            samples.write(admin, org, server.url(), telegrafToken);
            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            // The tasks that record events run only when forced here (every 52 weeks): a scheduled run
            // now, before the catch-up below, would see the samples in an order no server runs them in.
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--channel", "#k8s-alerts", "--every", "52w");
            assertEquals(0, run.exitCode(), run.toString());
            Map<String, Task> tasks = tasksByName(org);
            assertEquals(List.of("_record_events", "_slack_notify_disk_checks", "_slack_notify_restarts",
                    "_slack_notify_state_checks"), tasks.keySet().stream().sorted().toList());

            // The restarts task sees the samples as it would have, run by run; then every task's forced run
            // succeeds on all of this data: no cluster tag, no host tag included.
            samples.record(api, tasks);
            // A row of another shape, as the original tool's tasks may have left: not ours to post.
            admin.write(org.id(), "multiapp_", "restarts message=\"legacy row\" " + (Instant.now().getEpochSecond() - 60));
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));

            long t0 = samples.t0().getEpochSecond();
            List<SlackReceiver.Message> first = slack.messages();
            List<String> expected = List.of(
                    // 1. One restart, reported by two Telegrafs whose clocks differ; the recreated cache-0 is none.
                    "warning Container web of pod web-7d9f8c6b5-x2x4q restarted 1 time at " + at(t0 - 90) + SHOP,
                    // 4. Pending for longer than the grace period, scheduled or not.
                    "danger Pod importer-5d6c7b-vv9kd has been Pending for more than 5m: container importer is waiting (ContainerCreating)" + SHOP,
                    "danger Pod gpu-trainer-0 has been Pending for more than 5m: not scheduled on any node (container trainer)" + SHOP,
                    // 3. Waiting containers that cannot start, whatever the pod's phase (Pending for most, Running for cron).
                    "danger Container worker of pod worker-55c1d9-k2j4x is waiting (CrashLoopBackOff)" + BILLING,
                    "danger Container payments of pod payments-8f6d4c-r2d2x is waiting (ImagePullBackOff)" + BILLING,
                    "danger Container invoices of pod invoices-4c8b2d-r2d2x is waiting (ErrImagePull)" + BILLING,
                    "danger Container dunning of pod dunning-6d9e3f-r2d2x is waiting (CreateContainerConfigError)" + BILLING,
                    "danger Container tax of pod tax-3b7a1c-r2d2x is waiting (InvalidImageName)" + BILLING,
                    "danger Container cron of pod cron-9a2b4e-j5k6l is waiting (RunContainerError)" + BILLING,
                    // 5. OOMKilled: a Deployment's container caught terminated, a Job's pod that stays so.
                    "danger Container reports of pod reports-7f6d5c-p9q8r is terminated (OOMKilled)" + BILLING,
                    "danger Pod nightly-export-28716600-x5k2d failed: container export is terminated (OOMKilled)" + BILLING,
                    // 6. Evicted: the pod's reason is in the text.
                    "danger Pod ledger-6c9b8d-w4xk7 failed (Evicted): container ledger is terminated (ContainerStatusUnknown)" + BILLING,
                    // 8, 9. A real disk above each threshold, one without a host tag; no read-only or pseudo filesystem.
                    "danger Disk /data on host roundtable01 is 97% full (danger)",
                    "warning Disk /var/lib/influxdb on an unknown host (no host tag) is 88% full (warning)");
            // 2. The crash loop: one message for all its restarts so far, from the first seen to the last.
            Pattern crashLoop = Pattern.compile("warning Container worker of pod worker-55c1d9-k2j4x restarted 5 times from "
                    + Pattern.quote(at(t0 - 150)) + " to \\S+ \\S+ UTC" + Pattern.quote(BILLING + "; restarts are reported at most every 30m"));
            List<String> texts = texts(first);
            texts.forEach(text -> System.out.println("    slack: " + text));
            List<String> unexplained = new ArrayList<>(texts);
            unexplained.removeAll(expected);
            unexplained.removeIf(text -> crashLoop.matcher(text).matches());
            assertEquals(List.of(), unexplained, "messages nobody expected; all: " + String.join("\n", texts));
            assertEquals(new TreeSet<>(expected), new TreeSet<>(texts.stream().filter(expected::contains).toList()),
                    "all: " + String.join("\n", texts));
            assertEquals(expected.size() + 1, texts.size(), "each exactly once: " + String.join("\n", texts));
            assertTrue(first.stream().allMatch(m -> m.channel().equals("#k8s-alerts")), first.toString());

            // 7. Nothing normal became an event: start-up within the grace period, Completed, condition rows.
            String events = admin.query(org.id(), "from(bucket: \"multiapp_\") |> range(start: -1h)"
                    + " |> filter(fn: (r) => r._measurement == \"restarts\" or r._measurement == \"state_checks\")"
                    + " |> keep(columns: [\"pod\"]) |> group() |> distinct(column: \"pod\")");
            for (String quiet : List.of("cache-0", "checkout-", "search-", "mailer-", "migrate-", "frontend-", "inventory-")) {
                assertFalse(events.contains(quiet), quiet + " is normal: " + events);
            }

            // 10. Forced again, after one more restart of the crash loop: nothing new within its period.
            Instant before = Instant.now();
            samples.writeAnotherRestart(server.url(), telegrafToken, org);
            TaskRuns.succeeds(api, tasks.get("_record_events"));
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            assertEquals(texts, texts(slack.messages()));

            // 2. A shorter period, updated in place: once it is over, one message counts the restart since.
            ToolResult shorter = ToolResult.run(taskmaker::new, server.env(org, token), "--channel", "#k8s-alerts", "--every", "52w",
                    "--restart-period", "20s", "--json");
            assertEquals(0, shorter.exitCode(), shorter.toString());
            assertEquals(1, shorter.json().get("summary").asObject().getInt("updated", -1), shorter.out());
            assertEquals(tasks.get("_slack_notify_restarts").id(), tasksByName(org).get("_slack_notify_restarts").id());
            Thread.sleep(Duration.ofSeconds(21).toMillis());
            TaskRuns.succeeds(api, tasks.get("_slack_notify_restarts"));
            List<String> after = texts(slack.messages());
            assertEquals(texts.size() + 1, after.size(), String.join("\n", after));
            String last = after.get(after.size() - 1);
            System.out.println("    slack, once the shorter period is over: " + last);
            assertTrue(Pattern.matches("warning Container worker of pod worker-55c1d9-k2j4x restarted 1 time at \\S+ \\S+ UTC"
                    + Pattern.quote(BILLING), last), last);
            String[] when = last.split(" at ")[1].split(" ");
            Instant restartTime = Instant.parse(when[0] + "T" + when[1] + "Z");
            assertTrue(!restartTime.isBefore(before.minusSeconds(1)) && restartTime.isBefore(before.plusSeconds(10)),
                    restartTime + ", sample taken after " + before);
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            assertEquals(after, texts(slack.messages()));
        }
    }

    @Test
    void badGraceAndPeriodAreUsageErrors() {
        Org org = server.newOrg("tm-alert-usage");
        api.createBucket(org.id(), "shop", 86_400, "");
        for (String[] args : List.of(new String[] {"--pending-grace", "5 minutes"}, new String[] {"--pending-grace", "0s"},
                new String[] {"--restart-period", "2h"}, new String[] {"--restart-period", "500ms"})) {
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org), args);
            assertEquals(2, run.exitCode(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains(args[0]), run.err());
        }
        assertTrue(api.tasks(org.id()).isEmpty());
    }

    /** A time as the messages give it: 2026-11-27 01:39:13 UTC. */
    private static String at(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString().replace("T", " ").replace("Z", " UTC");
    }

    private static List<String> texts(List<SlackReceiver.Message> messages) {
        return messages.stream().map(m -> m.color() + " " + m.text()).toList();
    }

    private static Map<String, Task> tasksByName(Org org) {
        return api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
    }
}

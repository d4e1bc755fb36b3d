import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/**
 * End to end, no mocks: Telegraf-like points in two application buckets, taskmaker's tasks forced
 * to run on the real server, and the Slack messages they really post to a local receiver.
 */
class TaskmakerAlertsIT extends RealServerTest {

    @Test
    void alertsEachProblemOnceAndIgnoresNormalEndingsAndStartUp() throws Exception {
        // An org of its own, named unlike the server's default one: nothing may assume an org name.
        Org org = server.newOrg("tm-e2e");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "billing", 86_400, "");
        api.createBucket(org.id(), "roundtable_internal_", 86_400, "");
        try (SlackReceiver slack = new SlackReceiver()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            TelegrafSamples.write(admin, org);

            // The CronJob's way: a least-privilege token from tokenmaker, not the operator's.
            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--channel", "#k8s-alerts");
            assertEquals(0, run.exitCode(), run.toString());
            Map<String, Task> tasks = api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
            assertEquals(List.of("Billing restarts", "Billing state_checks", "Shop restarts", "Shop state_checks",
                    "_slack_notify_disk_checks", "_slack_notify_restarts", "_slack_notify_state_checks"),
                    tasks.keySet().stream().sorted().toList());

            for (String name : List.of("Shop restarts", "Shop state_checks", "Billing restarts", "Billing state_checks")) {
                assertSucceeds(tasks.get(name));
            }
            String events = admin.query(org.id(), "from(bucket: \"multiapp_\") |> range(start: -1h)"
                    + " |> filter(fn: (r) => r._field == \"message\") |> keep(columns: [\"_measurement\", \"application\", \"pod\", \"container\", \"cluster\", \"_value\"])");
            assertTrue(events.contains("restarts") && events.contains("web-7d9f") && events.contains("prod-east"), events);
            assertTrue(events.contains("state_checks") && events.contains("worker-55c1") && events.contains("CrashLoopBackOff"), events);
            assertTrue(!events.contains("migrate-job") && !events.contains("new-pod"), "Completed and Pending are normal: " + events);

            // A row of another shape, as the original tool's tasks may have left: not ours to post.
            admin.write(org.id(), "multiapp_", "restarts message=\"legacy row\" " + (java.time.Instant.now().getEpochSecond() - 60));
            for (String name : List.of("_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks")) {
                assertSucceeds(tasks.get(name));
            }
            List<SlackReceiver.Message> messages = slack.messages();
            assertEquals(3, messages.size(), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.text().contains("Container web of pod web-7d9f restarted 1 time")
                    && m.text().contains("application shop") && m.text().contains("cluster prod-east") && m.color().equals("warning")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.text().contains("Container worker of pod worker-55c1 is waiting (CrashLoopBackOff)")
                    && m.text().contains("application billing") && m.color().equals("danger")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.text().contains("Disk /data on host roundtable01 is 97% full")
                    && m.color().equals("danger")), messages.toString());
            assertTrue(messages.stream().allMatch(m -> m.channel().equals("#k8s-alerts")), messages.toString());

            // Forced again: every alert was recorded as sent, so nothing is posted twice.
            for (String name : List.of("_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks")) {
                assertSucceeds(tasks.get(name));
            }
            assertEquals(3, slack.messages().size(), slack.messages().toString());
        }
    }

    private static void assertSucceeds(Task task) {
        TaskRun run = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
        assertEquals("success", run.status(), task.name() + ": " + String.join("\n", run.log()));
    }
}

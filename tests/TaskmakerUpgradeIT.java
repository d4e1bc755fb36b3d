import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import alerts.ManagedTask;
import com.eclipsesource.json.JsonObject;
import influx.Bucket;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An installation of an earlier taskmaker upgrades: its tasks (EarlierTasks) are updated in place,
 * keeping their IDs, and its per-application tasks replaced by the two that watch every application
 * bucket (the first of each kind becomes it); then all run on what Telegraf really writes. The
 * restart counts an earlier restarts task remembered are today's to go on from.
 */
class TaskmakerUpgradeIT extends RealServerTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(EarlierTasks.class)
    void tasksOfAnEarlierVersionAreUpdatedInPlaceAndThenSucceed(EarlierTasks release) throws Exception {
        Org org = server.newOrg("tm-upgrade");
        List<String> applications = List.of("shop", "billing", "inventory");
        for (String bucket : applications) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
        api.createBucket(org.id(), "roundtable_internal_", 86_400, "");
        api.createBucket(org.id(), Bucket.MULTIAPP, 3_600, "influx-tools: alert events across applications");
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
            samples.write(admin, org, server.url(), telegrafToken);
            boolean perApplication = release != EarlierTasks.TWO_TASKS;
            // The record tasks that watch every bucket run only when forced here, until upgraded.
            for (ManagedTask earlier : release.wanted(applications, perApplication ? "1m" : "52w", "1m", "30s", "")) {
                api.createTask(org.id(), earlier.flux(), "");
            }
            Map<String, Task> before = tasksByName(org);
            assertEquals(perApplication ? 9 : 5, before.size(), before.keySet().toString());
            if (!perApplication) {
                // The earlier restarts task saw the samples come in, and remembered each container's count.
                for (Instant at : samples.afterEachEarlierSample()) {
                    TaskRun ran = TaskRuns.runAsOf(api, before.get("_record_restarts").id(), at, Duration.ofSeconds(60));
                    assertEquals("success", ran.status(), String.join("\n", ran.log()));
                }
            }
            if (release == EarlierTasks.FIRST) {
                // What the issue reported: a disk row without a host tag failed the earlier disk task on every run.
                TaskRun failed = TaskRuns.runToCompletion(api, before.get("_slack_notify_disk_checks").id(), Duration.ofSeconds(60));
                assertEquals("failed", failed.status());
                assertTrue(String.join(" ", failed.log()).contains("invalid interpolation type"), failed.log().toString());
            }

            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--json");
            assertEquals(0, run.exitCode(), run.toString());
            JsonObject summary = run.json().get("summary").asObject();
            // The first record task (by name) becomes the events task, keeping its ID; the others are deleted.
            assertEquals(release == EarlierTasks.FIRST ? 4 : 1, summary.getInt("updated", -1), run.out());
            assertEquals(perApplication ? 5 : 1, summary.getInt("deleted", -1), run.out());
            assertEquals(0, summary.getInt("created", -1), run.out());
            Map<String, Task> after = tasksByName(org);
            assertEquals(Set.of("_record_events", "_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks"),
                    after.keySet());
            assertEquals(before.get(perApplication ? "Billing restarts" : "_record_restarts").id(), after.get("_record_events").id());
            for (String slackTask : List.of("_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks")) {
                assertEquals(before.get(slackTask).id(), after.get(slackTask).id(), slackTask);
            }

            List<Task> inOrder = after.values().stream()
                    .sorted((a, b) -> Boolean.compare(a.name().startsWith("_slack"), b.name().startsWith("_slack"))).toList();
            for (Task task : inOrder) {
                TaskRun ran = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
                assertEquals("success", ran.status(), task.name() + ": " + String.join("\n", ran.log()));
            }
            assertTrue(slack.messages().stream().anyMatch(m -> m.text().startsWith("Disk /var/lib/influxdb on an unknown host")),
                    slack.messages().toString());
            if (!perApplication) {
                // Counted from what the earlier task remembered: every restart since the first sample, once.
                String first = Instant.ofEpochSecond(samples.t0().getEpochSecond() - 150).toString().replace("T", " ").replace("Z", " UTC");
                List<String> crashLoop = slack.messages().stream().map(SlackReceiver.Message::text)
                        .filter(text -> text.startsWith("Container worker of pod worker-55c1d9-k2j4x restarted")).toList();
                assertEquals(1, crashLoop.size(), slack.messages().toString());
                assertTrue(crashLoop.get(0).startsWith("Container worker of pod worker-55c1d9-k2j4x restarted 5 times from " + first),
                        crashLoop.get(0));
            }
        }
    }

    private static Map<String, Task> tasksByName(Org org) {
        return api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
    }
}

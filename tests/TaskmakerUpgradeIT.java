import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import alerts.ManagedTask;
import influx.Bucket;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/**
 * An installation of the previous taskmaker upgrades: its tasks (EarlierTasks) are updated in place,
 * keeping their IDs, and then run on what Telegraf really writes, where the earlier disk task failed.
 */
class TaskmakerUpgradeIT extends RealServerTest {

    @Test
    void tasksOfThePreviousVersionAreUpdatedInPlaceAndThenSucceed() throws Exception {
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
            for (ManagedTask earlier : EarlierTasks.wanted(applications, "1m", "1m", "30s", "")) {
                api.createTask(org.id(), earlier.flux(), "");
            }
            Map<String, Task> before = tasksByName(org);
            assertEquals(9, before.size(), before.keySet().toString());
            // What the issue reported: a disk row without a host tag failed the earlier disk task on every run.
            TaskRun failed = TaskRuns.runToCompletion(api, before.get("_slack_notify_disk_checks").id(), Duration.ofSeconds(60));
            assertEquals("failed", failed.status());
            assertTrue(String.join(" ", failed.log()).contains("invalid interpolation type"), failed.log().toString());

            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--json");
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(9, run.json().get("summary").asObject().getInt("updated", -1), run.out());
            assertEquals(0, run.json().get("summary").asObject().getInt("created", -1), run.out());
            Map<String, Task> after = tasksByName(org);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((name, task) -> assertEquals(task.id(), after.get(name).id(), name));

            List<Task> inOrder = after.values().stream()
                    .sorted((a, b) -> Boolean.compare(a.name().startsWith("_"), b.name().startsWith("_"))).toList();
            for (Task task : inOrder) {
                TaskRun ran = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
                assertEquals("success", ran.status(), task.name() + ": " + String.join("\n", ran.log()));
            }
            assertTrue(slack.messages().stream().anyMatch(m -> m.text().startsWith("Disk /var/lib/influxdb on an unknown host")),
                    slack.messages().toString());
        }
    }

    private static Map<String, Task> tasksByName(Org org) {
        return api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
    }
}

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import influx.InfluxApi;
import influx.Org;
import influx.Task;
import org.junit.jupiter.api.Test;
import tokens.Multiapp;
import tokens.TokenPurpose;

/**
 * influxd going away under the alerts: killed (SIGKILL, as a crash or an OOM kill does) while a
 * Slack task waits on its post, and restarted between task runs, for an upgrade. A server of its
 * own, since it is killed; the real Telegraf's data, the real tasks, a stand-in webhook.
 */
class ServerRestartIT {
    private static final List<String> SLACK_TASKS = List.of("_slack_notify_restarts", "_slack_notify_state_checks",
            "_slack_notify_disk_checks");

    @Test
    void noAlertIsLostOrRepeatedAcrossAKillDuringAPostAndRestartsBetweenRuns() throws Exception {
        String token = "restart-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        try (SlackReceiver slack = SlackReceiver.onLoopback(); TelegrafSamples samples = new TelegrafSamples()) {
            Admin admin = Admin.of(influxd.url(), token);
            InfluxApi api = admin.api();
            Org org = api.orgByName("test-org").orElseThrow();
            TelegrafSamples.createBuckets(api, org);
            Multiapp.create(api, org.id());
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            String telegrafToken = api.createAuthorization(org.id(), null, "telegraf", TokenPurpose.TELEGRAF.permissions(org.id(), null))
                    .token();
            samples.write(admin, org, influxd.url(), telegrafToken);
            Map<String, String> env = Map.of("INFLUXDB_URL", influxd.url(), "INFLUXDB_ORG", org.name(), "INFLUXDB_TOKEN", token);
            ToolResult made = ToolResult.run(taskmaker::new, env, "--every", "52w", "--alert-every", "52w");
            assertEquals(0, made.exitCode(), made.toString());
            Map<String, Task> tasks = api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
            samples.record(api, tasks);

            // Restarted after the alerts were recorded, before any was posted: they are still there.
            influxd.restart();
            // Killed while the restarts task waits for Slack's answer to its first post.
            slack.answer(SlackReceiver.Answer.NO_ANSWER);
            CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> {
                try {
                    TaskRuns.runToCompletion(api, tasks.get("_slack_notify_restarts").id(), Duration.ofSeconds(60));
                } catch (RuntimeException theServerWentAway) {
                    // Expected: the run's server is killed under it.
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (slack.attempts() == 0) {
                assertTrue(System.nanoTime() < deadline && !inFlight.isDone(), "no post was made");
                Thread.sleep(20);
            }
            influxd.kill();
            inFlight.join();
            slack.answer(SlackReceiver.Answer.OK);
            influxd.restart();

            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            List<String> texts = slack.messages().stream().map(SlackReceiver.Message::text).toList();
            texts.forEach(text -> System.out.println("    slack, after the kill: " + text));
            assertEquals(texts.size(), new HashSet<>(texts).size(), "each alert once: " + texts);
            assertTrue(Recorded.disks(texts) > 0 && texts.stream().anyMatch(text -> text.contains(" restarted ")), texts.toString());
            assertEquals(Recorded.events(admin, org) + Recorded.disks(texts), texts.size(), "one message per alert: " + texts);

            // Restarted between runs: what was sent stays recorded, so nothing goes twice.
            influxd.restart();
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            assertEquals(texts, slack.messages().stream().map(SlackReceiver.Message::text).toList(), "nothing twice");
            assertEquals(texts.size(), Recorded.sent(admin, org));
        } finally {
            influxd.destroy();
        }
    }
}

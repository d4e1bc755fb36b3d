import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/**
 * Slack having a bad day, end to end: the real Telegraf's data, the real server's tasks, and a
 * stand-in webhook that answers as Slack does in an outage (503), when rate-limiting (429 with
 * Retry-After), for a revoked webhook (404) or an archived channel (410), when down (connection
 * refused) and when it never answers. No alert may be recorded
 * as sent while Slack fails, no run may hang, and once Slack answers again each alert reaches it
 * exactly once, including what happened during the outage.
 */
class SlackOutageIT extends RealServerTest {
    private static final List<String> SLACK_TASKS = List.of("_slack_notify_restarts", "_slack_notify_state_checks",
            "_slack_notify_disk_checks");

    private enum Fault { UNAVAILABLE, RATE_LIMITED, REVOKED, ARCHIVED, REFUSED, NO_ANSWER }

    @Test
    void alertsHeldBackByAnOutageReachSlackExactlyOnceWhenItAnswersAgain() throws Exception {
        Org org = server.newOrg("slack-outage");
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            Recording recording = alertsRecorded(org, slack, samples);
            Map<String, Task> tasks = recording.tasks();

            Map<Fault, Integer> attempts = new LinkedHashMap<>();
            Instant restartedDuringOutage = null;
            for (Fault fault : Fault.values()) {
                int before = slack.attempts();
                switch (fault) {
                    case UNAVAILABLE -> slack.answer(SlackReceiver.Answer.UNAVAILABLE);
                    case RATE_LIMITED -> slack.answer(SlackReceiver.Answer.RATE_LIMITED);
                    case REVOKED -> slack.answer(SlackReceiver.Answer.REVOKED);
                    case ARCHIVED -> slack.answer(SlackReceiver.Answer.ARCHIVED);
                    case REFUSED -> {
                        slack.answer(SlackReceiver.Answer.OK);
                        slack.goDown();
                    }
                    case NO_ANSWER -> {
                        slack.comeBack();
                        slack.answer(SlackReceiver.Answer.NO_ANSWER);
                    }
                }
                if (fault == Fault.REFUSED) {
                    // Raised during the outage: the crash loop restarts once more.
                    restartedDuringOutage = Instant.now();
                    samples.writeAnotherRestart(server.url(), recording.telegrafToken(), org);
                    samples.record(api, tasks);
                }
                for (String name : SLACK_TASKS) {
                    Instant start = Instant.now();
                    TaskRun run = TaskRuns.runToCompletion(api, tasks.get(name).id(), Duration.ofSeconds(90));
                    Duration took = Duration.between(start, Instant.now());
                    String what = fault + ", " + name + ": " + run.status() + " in " + took.toSeconds() + " s"
                            + (run.log().isEmpty() ? "" : ": " + run.log().get(run.log().size() - 1));
                    System.out.println("    " + what);
                    // A Slack that answers with an error leaves the run healthy; one that cannot be reached fails it.
                    boolean answers = fault != Fault.REFUSED && fault != Fault.NO_ANSWER;
                    assertEquals(answers ? "success" : "failed", run.status(), what);
                    // The post gives up after 10 s; the rest is the forced run's own round trip.
                    assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, what);
                }
                attempts.put(fault, slack.attempts() - before);
                assertEquals(List.of(), slack.messages(), fault + ": nothing was delivered");
                assertEquals(0, Recorded.sent(admin, org), fault + ": nothing may be recorded as sent");
            }
            System.out.println("    posts the stand-in received while failing: " + attempts);
            for (Fault answered : List.of(Fault.UNAVAILABLE, Fault.RATE_LIMITED, Fault.REVOKED, Fault.ARCHIVED)) {
                assertTrue(attempts.get(answered) >= SLACK_TASKS.size(), "every alert was tried: " + attempts);
            }
            assertTrue(attempts.get(Fault.REFUSED) == 0 && attempts.get(Fault.NO_ANSWER) >= 1, attempts.toString());

            // Slack answers again: every alert once, the restart raised during the outage counted in.
            slack.answer(SlackReceiver.Answer.OK);
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            List<String> texts = slack.messages().stream().map(SlackReceiver.Message::text).toList();
            texts.forEach(text -> System.out.println("    slack, after the outage: " + text));
            assertEquals(texts.size(), new HashSet<>(texts).size(), "each alert once: " + texts);
            assertEquals(Recorded.events(admin, org) + Recorded.disks(texts), texts.size(), "one message per alert: " + texts);
            assertEquals(texts.size(), Recorded.sent(admin, org), "each message recorded as sent");
            assertTrue(Recorded.disks(texts) > 0, texts.toString());
            String crashLoop = texts.stream().filter(text -> text.startsWith("Container worker of pod worker-55c1d9-k2j4x restarted "))
                    .findFirst().orElseThrow(() -> new AssertionError("no crash loop message: " + texts));
            String[] last = crashLoop.split(" to ")[1].split(" ");
            Instant lastCovered = Instant.parse(last[0] + "T" + last[1] + "Z");
            assertTrue(!lastCovered.isBefore(restartedDuringOutage.minusSeconds(1)), "the restart during the outage ("
                    + restartedDuringOutage + ") is counted in the one message: " + crashLoop);
            SLACK_TASKS.forEach(name -> TaskRuns.runToCompletion(api, tasks.get(name).id(), Duration.ofSeconds(60)));
            assertEquals(texts, slack.messages().stream().map(SlackReceiver.Message::text).toList(), "nothing twice");
        }
    }

    @Test
    void anAlertRaisedEarlyInAnOutageOfHoursIsPostedOnceWhenSlackComesBack() throws Exception {
        Org org = server.newOrg("slack-long-outage");
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            Map<String, Task> tasks = alertsRecorded(org, slack, samples).tasks();
            assertEquals(6 * 3600, api.bucket(org.id(), "multiapp_").orElseThrow().retentionSeconds(), "as tokenmaker makes it");
            int alerts = Recorded.events(admin, org);

            // Slack has been down for over two hours: the alerts are the ones the record tasks wrote,
            // moved back 130 minutes, where the record tasks of that time would have put them. They
            // wait in a bucket of their own while the originals are deleted, so that the delete
            // never meets a series that has points both inside and outside its range.
            Instant now = Instant.now();
            api.createBucket(org.id(), "moved", 86_400, "");
            String alertsOnly = " |> filter(fn: (r) => r._measurement == \"restarts\" or r._measurement == \"state_checks\")";
            admin.query(org.id(), "import \"date\"\nfrom(bucket: \"multiapp_\") |> range(start: -1h, stop: 1h)" + alertsOnly
                    + " |> map(fn: (r) => ({r with _time: date.sub(d: 130m, from: r._time)})) |> to(bucket: \"moved\")");
            for (String measurement : List.of("restarts", "state_checks")) {
                admin.delete(org.id(), "multiapp_", now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)), measurement);
            }
            assertEquals(0, Recorded.events(admin, org), "the originals are gone");
            admin.query(org.id(), "from(bucket: \"moved\") |> range(start: -3h)" + alertsOnly + " |> to(bucket: \"multiapp_\")");
            assertEquals(alerts, Recorded.events(admin, org, Duration.ofHours(3)), "every alert, 130 minutes back");
            assertEquals(0, Recorded.events(admin, org), "none in the last hour");
            slack.answer(SlackReceiver.Answer.UNAVAILABLE);
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            assertEquals(List.of(), slack.messages(), "nothing delivered while Slack answers 503");
            assertEquals(0, Recorded.sent(admin, org), "nothing recorded as sent while Slack answers 503");

            slack.answer(SlackReceiver.Answer.OK);
            SLACK_TASKS.forEach(name -> TaskRuns.succeeds(api, tasks.get(name)));
            List<String> texts = slack.messages().stream().map(SlackReceiver.Message::text).toList();
            texts.forEach(text -> System.out.println("    slack, after an outage of 130 minutes: " + text));
            // Every alert the record tasks raised, once, and the disks full now.
            assertEquals(alerts + Recorded.disks(texts), texts.size(), texts.toString());
            assertEquals(texts.size(), new HashSet<>(texts).size(), texts.toString());
            assertTrue(texts.stream().anyMatch(text -> text.contains(" restarted ")), texts.toString());
            Thread.sleep(1100);
            SLACK_TASKS.forEach(name -> TaskRuns.runToCompletion(api, tasks.get(name).id(), Duration.ofSeconds(60)));
            assertEquals(texts, slack.messages().stream().map(SlackReceiver.Message::text).toList(), "nothing twice");
        }
    }

    /**
     * The samples written by Telegraf, the tasks made with the CronJob's token and multiapp_ as
     * tokenmaker makes them, and the record tasks run: the alerts wait for the Slack tasks. Only
     * forced runs here, so that each run's answer is the one set for it.
     */
    private static Recording alertsRecorded(Org org, SlackReceiver slack, TelegrafSamples samples) {
        TelegrafSamples.createBuckets(api, org);
        admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
        String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
        samples.write(admin, org, server.url(), telegrafToken);
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        ToolResult made = ToolResult.run(taskmaker::new, server.env(org, token), "--every", "52w", "--alert-every", "52w");
        assertEquals(0, made.exitCode(), made.toString());
        Map<String, Task> tasks = api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
        samples.record(api, tasks);
        return new Recording(tasks, telegrafToken);
    }

    private record Recording(Map<String, Task> tasks, String telegrafToken) {}
}

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import influx.Org;
import org.junit.jupiter.api.Test;

/**
 * How soon an alert reaches Slack, with the tasks on their own schedules (nothing forced): from the
 * moment the real Telegraf has written a situation to the moment the Slack stand-in receives it,
 * with taskmaker's default schedules (record every minute, post half a minute later).
 */
class LatencyIT extends RealServerTest {
    private static final Duration PROMISED = Duration.ofMinutes(2);

    @Test
    void everyAlertReachesSlackWithinTwoMinutesOfTelegrafWritingIt() throws Exception {
        Org org = server.newOrg("latency");
        TelegrafSamples.createBuckets(api, org);
        try (SlackReceiver slack = new SlackReceiver(); TelegrafSamples samples = new TelegrafSamples()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            // A restart is posted at most once per period: 1s, so that the one made below is posted too.
            ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--restart-period", "1s");
            assertEquals(0, run.exitCode(), run.toString());

            samples.write(admin, org, server.url(), telegrafToken);
            Instant written = Instant.now();
            // The containers in a bad state (eleven) and the two full disks.
            List<Duration> states = waitFor(slack, 0, 13, message -> !message.color().equals("warning") || message.text().startsWith("Disk "),
                    written);
            for (Duration delay : states) {
                assertTrue(delay.compareTo(PROMISED) <= 0, "an alert took " + delay + ": " + states);
            }

            int before = slack.messages().size();
            samples.writeAnotherRestart(server.url(), telegrafToken, org);
            Instant restarted = Instant.now();
            List<Duration> restart = waitFor(slack, before, 1,
                    message -> message.text().startsWith("Container worker of pod worker-55c1d9-k2j4x restarted"), restarted);
            assertTrue(restart.get(0).compareTo(PROMISED) <= 0, "the restart took " + restart.get(0));
            System.out.println("    latency: bad states and disks " + states + "; a restart " + restart);
        }
    }

    /** The delays, from {@code since}, of the first {@code count} messages after index {@code from} that match. */
    private static List<Duration> waitFor(SlackReceiver slack, int from, int count, Predicate<SlackReceiver.Message> matching,
            Instant since) throws InterruptedException {
        List<Duration> delays = new ArrayList<>();
        int seen = from;
        Instant deadline = since.plus(PROMISED).plusSeconds(30);
        while (delays.size() < count && Instant.now().isBefore(deadline)) {
            List<SlackReceiver.Message> messages = slack.messages();
            for (; seen < messages.size(); seen++) {
                if (matching.test(messages.get(seen))) {
                    delays.add(Duration.between(since, Instant.now()).withNanos(0));
                }
            }
            Thread.sleep(200);
        }
        assertEquals(count, delays.size(), "received: " + slack.messages());
        return delays;
    }
}

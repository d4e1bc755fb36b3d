import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.eclipsesource.json.JsonObject;
import influx.Org;
import influx.Task;
import org.junit.jupiter.api.Test;

/**
 * A namespace whose 500 pods all crash-loop at once (a bad rollout, a dead database): the real
 * Telegraf reads them from the Kubernetes API stand-in, the real server's tasks raise 500 restarts
 * and 500 bad states. One message per container would be a thousand posts, which Slack would
 * rate-limit (an incoming webhook takes about one a second) and no person reads; the namespace gets
 * one message per kind instead, well within Slack's size limit, and every alert it covers counts as
 * sent. A namespace with no more alerts than the threshold still gets one message each.
 */
class CrowdedNamespaceIT extends RealServerTest {
    private static final int CROWD = 500;
    /** The most alerts of one namespace in one run that are still posted one by one. */
    private static final int ONE_BY_ONE = 10;
    /** Slack truncates a message beyond this many characters. */
    private static final int SLACK_LIMIT = 40_000;

    @Test
    void aNamespaceOf500FailingPodsIsOneMessagePerKindAndEveryAlertCounts() throws Exception {
        Org org = server.newOrg("crowded");
        for (String bucket : List.of("batch", "shop", "roundtable_internal_")) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
        TestCertificates certificates = TestCertificates.create();
        try (SlackReceiver slack = new SlackReceiver(); KubernetesApi kubernetes = new KubernetesApi(certificates)) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            Telegraf telegraf = new Telegraf(kubernetes, certificates.caCert());
            Telegraf.Agent agent = new Telegraf.Agent("node-a", "prod-east", List.of("batch", "shop"));
            String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            ToolResult made = ToolResult.run(taskmaker::new, server.env(org, token), "--every", "52w", "--alert-every", "52w");
            assertEquals(0, made.exitCode(), made.toString());
            Map<String, Task> tasks = api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));

            // A minute ago every batch pod had restarted 3 times; now 4, and each backs off again.
            Instant now = Instant.now();
            kubernetes.setPods(pods(now, 3));
            TelegrafSamples.writeAt(admin, org, telegraf.gather(agent), now.minusSeconds(60));
            kubernetes.setPods(pods(now, 4));
            telegraf.write(agent, server.url(), telegrafToken, org.name());
            Thread.sleep(2_000 - Instant.now().getNano() / 1_000_000);
            TaskRuns.succeeds(api, tasks.get("_record_events"));
            assertEquals(2 * CROWD + ONE_BY_ONE, Recorded.events(admin, org), "500 restarts, 500 bad states, 10 in shop");

            TaskRuns.succeeds(api, tasks.get("_slack_notify_restarts"));
            TaskRuns.succeeds(api, tasks.get("_slack_notify_state_checks"));
            List<String> texts = slack.messages().stream().map(SlackReceiver.Message::text).toList();
            texts.forEach(text -> System.out.println("    slack (" + text.length() + " characters): "
                    + text.lines().limit(4).collect(Collectors.joining(" | ")) + (text.lines().count() > 4 ? " | ..." : "")));

            List<String> batch = texts.stream().filter(text -> text.contains("in namespace batch")).toList();
            assertEquals(2, batch.size(), "one message per kind for batch: " + texts);
            String restarts = batch.stream().filter(text -> text.startsWith(CROWD + " containers restarted in namespace batch "))
                    .findFirst().orElseThrow(() -> new AssertionError("no restart summary: " + batch));
            String states = batch.stream().filter(text -> text.startsWith(CROWD + " containers in namespace batch are in a bad state "))
                    .findFirst().orElseThrow(() -> new AssertionError("no state summary: " + batch));
            for (String summary : List.of(restarts, states)) {
                assertTrue(summary.length() < SLACK_LIMIT / 10, summary.length() + " characters");
                List<String> lines = summary.lines().toList();
                assertEquals(1 + 20 + 1, lines.size(), summary);
                assertEquals("... and " + (CROWD - 20) + " more", lines.get(lines.size() - 1));
                // Listed in the order of the pods' names; each line the container, its pod and what happened.
                assertTrue(lines.get(1).startsWith("Container job of pod " + podName(0)), lines.get(1));
                assertTrue(lines.get(20).startsWith("Container job of pod " + podName(19)), lines.get(20));
            }
            assertTrue(restarts.lines().skip(1).limit(20).allMatch(line -> line.matches("Container job of pod \\S+: 1 time at .* UTC")), restarts);
            assertTrue(states.lines().skip(1).limit(20).allMatch(line -> line.matches("Container job of pod \\S+ is waiting \\(CrashLoopBackOff\\)"
                    + " \\(application batch, namespace batch, cluster prod-east\\)")),
                    states);

            List<String> shop = texts.stream().filter(text -> text.contains("namespace shop")).toList();
            assertEquals(ONE_BY_ONE, shop.size(), "one message each at the threshold: " + texts);
            assertTrue(shop.stream().allMatch(text -> text.matches("Container api of pod api-7c5d9b-\\S+ is waiting \\(ImagePullBackOff\\)"
                    + " \\(application shop, namespace shop, cluster prod-east\\)")), shop.toString());
            assertEquals(2 + ONE_BY_ONE, texts.size(), texts.toString());
            assertEquals(2 * CROWD + ONE_BY_ONE, Recorded.sent(admin, org), "every alert a summary covers is recorded as sent");

            Thread.sleep(1100);
            TaskRuns.succeeds(api, tasks.get("_slack_notify_restarts"));
            TaskRuns.succeeds(api, tasks.get("_slack_notify_state_checks"));
            assertEquals(texts, slack.messages().stream().map(SlackReceiver.Message::text).toList(), "nothing twice");
        }
    }

    /** batch: 500 pods of one Deployment in a crash loop; shop: 10 that cannot pull their image. */
    private static List<JsonObject> pods(Instant now, int restarts) {
        List<JsonObject> pods = new ArrayList<>();
        for (int i = 0; i < CROWD; i++) {
            Pods.Pod pod = Pods.ofDeployment("batch", "job", "6f8d7c", suffix(i)).node("node-" + (i % 7)).created(now.minusSeconds(86_400));
            pod.container("job", "registry.example.com/batch/job:3.1.0").restarts(restarts)
                    .lastTerminated(1, "Error", now.minusSeconds(70), now.minusSeconds(65))
                    .waiting("CrashLoopBackOff", "back-off 40s restarting failed container=job pod=" + pod.name() + "_batch(...)");
            pods.add(pod.json());
        }
        for (int i = 0; i < ONE_BY_ONE; i++) {
            Pods.Pod pod = Pods.ofDeployment("shop", "api", "7c5d9b", suffix(i)).node("node-1").created(now.minusSeconds(600));
            pod.container("api", "registry.example.com/shop/api:9.9.9")
                    .waiting("ImagePullBackOff", "Back-off pulling image \"registry.example.com/shop/api:9.9.9\"");
            pods.add(pod.json());
        }
        return pods;
    }

    private static String podName(int i) {
        return "job-6f8d7c-" + suffix(i);
    }

    /** The five characters a ReplicaSet appends to its pods' names, from Kubernetes' own alphabet; sorted as i is. */
    private static String suffix(int i) {
        String alphabet = "245678bcdfghjklmnpqrstvwxz";
        StringBuilder suffix = new StringBuilder();
        for (int k = 0; k < 5; k++) {
            suffix.insert(0, alphabet.charAt(i % alphabet.length()));
            i /= alphabet.length();
        }
        return suffix.toString();
    }
}

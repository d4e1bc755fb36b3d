import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
 * A cluster of one node (k3s, minikube, kind): the real Telegraf reads its pods from the Kubernetes
 * API stand-in, so every line names the same node but the pod not scheduled yet, which has no
 * node_name tag. Such a column (one value, then none) is the one the Flux of InfluxDB 2.7 mangled
 * when a task rebuilt it; both releases must say what happened to each container, and which pod
 * has no node.
 */
class SingleNodeClusterIT extends RealServerTest {
    private static final String SHOP = " (application shop, namespace shop, cluster k3s)";

    @Test
    void everyContainerOfOneNodeIsToldApart() throws Exception {
        Org org = server.newOrg("one-node");
        for (String bucket : List.of("shop", "roundtable_internal_")) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
        TestCertificates certificates = TestCertificates.create();
        try (SlackReceiver slack = new SlackReceiver(); KubernetesApi kubernetes = new KubernetesApi(certificates)) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", slack.url()));
            Telegraf telegraf = new Telegraf(kubernetes, certificates.caCert());
            Telegraf.Agent agent = new Telegraf.Agent("k3s-server", "k3s", List.of("shop"));
            String telegrafToken = ToolResult.run(tokenmaker::new, server.env(org), "--for", "telegraf", "--json").createdToken();
            String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
            ToolResult made = ToolResult.run(taskmaker::new, server.env(org, token), "--every", "52w", "--alert-every", "52w",
                    "--pending-grace", "2m");
            assertEquals(0, made.exitCode(), made.toString());
            Map<String, Task> tasks = api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));

            // Three minutes ago and now, as the scheduler's runs after each would have seen them.
            Instant now = Instant.now();
            Instant earlier = now.minusSeconds(180);
            kubernetes.setPods(pods(now));
            TelegrafSamples.writeAt(admin, org, telegraf.gather(agent), earlier);
            TaskRuns.runAsOf(api, tasks.get("_record_events").id(), earlier.plusSeconds(5), Duration.ofSeconds(60));
            telegraf.write(agent, server.url(), telegrafToken, org.name());
            Thread.sleep(2_000 - Instant.now().getNano() / 1_000_000);
            TaskRuns.succeeds(api, tasks.get("_record_events"));
            TaskRuns.succeeds(api, tasks.get("_slack_notify_state_checks"));

            List<String> texts = slack.messages().stream().map(message -> message.color() + " " + message.text()).sorted().toList();
            texts.forEach(text -> System.out.println("    slack: " + text));
            assertEquals(List.of(
                    "danger Container api of pod api-5d8c7b-k4x2q is waiting (ImagePullBackOff)" + SHOP,
                    "danger Container cron of pod cron-6f9d2c-z7w5p is waiting (CrashLoopBackOff)" + SHOP,
                    "danger Container importer of pod importer-7c4b9d-q2m8n is terminated (OOMKilled)" + SHOP,
                    "danger Pod gpu-trainer-0 has been Pending for more than 2m: not scheduled on any node (container trainer)" + SHOP,
                    "danger Pod search-4b7d6f-h3j9k has been Pending for more than 2m: container search is waiting (ContainerCreating)" + SHOP),
                    texts);
        }
    }

    /**
     * Everything on the one node but the trainer; the lines sort with healthy containers of the node
     * before and after the one without a node, and containers with a reason and without one in turn.
     */
    private static List<JsonObject> pods(Instant now) {
        Instant longAgo = now.minusSeconds(86_400);
        List<JsonObject> pods = new ArrayList<>();
        Pods.Pod api = Pods.ofDeployment("shop", "api", "5d8c7b", "k4x2q").node("k3s-server").phase("Pending").created(now.minusSeconds(600));
        api.container("api", "registry.example.com/shop/api:9.9.9")
                .waiting("ImagePullBackOff", "Back-off pulling image \"registry.example.com/shop/api:9.9.9\"");
        pods.add(api.json());
        Pods.Pod cache = Pods.ofStatefulSet("shop", "cache", 0).node("k3s-server").created(longAgo);
        cache.container("redis", "redis:7.2.4").running(longAgo.plusSeconds(3));
        pods.add(cache.json());
        Pods.Pod cron = Pods.ofDeployment("shop", "cron", "6f9d2c", "z7w5p").node("k3s-server").created(longAgo);
        cron.container("cron", "registry.example.com/shop/cron:1.1.0").restarts(7)
                .lastTerminated(1, "Error", now.minusSeconds(70), now.minusSeconds(65))
                .waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=cron pod=cron-6f9d2c-z7w5p_shop(...)");
        pods.add(cron.json());
        Pods.Pod trainer = Pods.ofStatefulSet("shop", "gpu-trainer", 0).created(now.minusSeconds(500))
                .unschedulable("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available:"
                        + " 1 No preemption victims found for incoming pod.");
        trainer.container("trainer", "registry.example.com/shop/trainer:5.2").noStatus();
        pods.add(trainer.json());
        Pods.Pod importer = Pods.ofDeployment("shop", "importer", "7c4b9d", "q2m8n").node("k3s-server").created(longAgo);
        importer.container("importer", "registry.example.com/shop/importer:0.9.1")
                .terminated(137, "OOMKilled", now.minusSeconds(40), now.minusSeconds(20));
        pods.add(importer.json());
        Pods.Pod migrate = Pods.ofJob("shop", "migrate-28716540", "h7x2k").node("k3s-server").phase("Succeeded")
                .created(now.minusSeconds(3600));
        migrate.container("migrate", "registry.example.com/shop/web:1.4.2")
                .terminated(0, "Completed", now.minusSeconds(3590), now.minusSeconds(3500));
        pods.add(migrate.json());
        Pods.Pod search = Pods.ofDeployment("shop", "search", "4b7d6f", "h3j9k").node("k3s-server").phase("Pending")
                .created(now.minusSeconds(400));
        search.container("search", "registry.example.com/shop/search:2.1.0").waiting("ContainerCreating", null);
        pods.add(search.json());
        Pods.Pod web = Pods.ofDeployment("shop", "web", "7d9f8c6b5", "x2x4q").node("k3s-server").created(longAgo);
        web.container("web", "registry.example.com/shop/web:1.4.2").running(longAgo.plusSeconds(5));
        pods.add(web.json());
        return pods;
    }
}

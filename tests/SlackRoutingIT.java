import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/**
 * Per-cluster Slack routes end to end: WEBHOOKS_YAML in the original's format, routes kept as
 * secrets, restarts in three clusters posted by the real server to three stand-in webhooks, each
 * message exactly once; then routes changed and removed, and kept in sync without needless writes.
 */
class SlackRoutingIT extends RealServerTest {
    private static final String CONTAINER = "kubernetes_pod_container,cluster=%s,namespace=shop,pod_name=%s,container_name=web,"
            + "node_name=n1,phase=Running,readiness=ready,state=running restarts_total=%di,state_code=0i %d";

    /** A restart (3 -> 4) of one pod in each of these clusters. */
    private static void restarts(Org org, String pod, String... clusters) {
        long t = Instant.now().getEpochSecond() - 60;
        StringBuilder lines = new StringBuilder();
        for (String cluster : clusters) {
            lines.append(String.format(CONTAINER, cluster, pod + "-" + cluster, 3, t)).append('\n')
                    .append(String.format(CONTAINER, cluster, pod + "-" + cluster, 4, t + 30)).append('\n');
        }
        admin.write(org.id(), "shop", lines.toString().strip());
    }

    private static String yaml(SlackReceiver alpha, SlackReceiver beta) {
        String routes = "# as the original's Helm values render it\n"
                + "- webhook_url: " + alpha.url() + "\n  channel: \"#status-alpha\"\n  phalanx_host: alpha.example.org\n";
        if (beta != null) {
            // No phalanx_host: the cluster is the channel without its status- prefix.
            routes += "- webhook_url: '" + beta.url() + "'\n  channel: '#status-beta'\n  phalanx_host:\n";
        }
        return routes;
    }

    private static void runTasks(Map<String, Task> tasks, String... names) throws InterruptedException {
        for (String name : names) {
            // A forced run's now() is its second: two runs within one second would share it, and the
            // second's range(stop: now()) would miss what the first recorded at now(). Scheduled runs
            // are a minute apart.
            Thread.sleep(1100);
            TaskRun run = TaskRuns.runToCompletion(api, tasks.get(name).id(), Duration.ofSeconds(60));
            assertEquals("success", run.status(), name + ": " + run.log());
        }
    }

    private static Map<String, Task> tasks(Org org) {
        return api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
    }

    private static Set<String> routeKeys(Org org) {
        return api.secretKeys(org.id()).stream().filter(key -> key.startsWith("slack_notify_url.")).collect(Collectors.toSet());
    }

    private static void assertNoUrl(ToolResult run, SlackReceiver... receivers) {
        for (SlackReceiver receiver : receivers) {
            assertFalse(run.toString().contains(receiver.url()) || run.toString().contains(receiver.url().replace("/services/hook", "")),
                    "a webhook URL was printed");
        }
    }

    @Test
    void eachClusterReachesItsOwnWebhookOnceAndRoutesStayInSync() throws Exception {
        Org org = server.newOrg("routes");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        try (SlackReceiver alpha = new SlackReceiver(); SlackReceiver beta = new SlackReceiver();
                SlackReceiver fallback = new SlackReceiver(); SlackReceiver alpha2 = new SlackReceiver()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
            Map<String, String> env = new HashMap<>(server.env(org));
            env.put("WEBHOOKS_YAML", yaml(alpha, beta));

            // --debug too: the traced requests include the secret writes.
            ToolResult first = ToolResult.run(taskmaker::new, env, "--channel", "#k8s", "--debug");
            assertEquals(0, first.exitCode(), first.toString());
            assertNoUrl(first, alpha, beta, fallback);
            assertTrue(first.err().contains("{<secret values redacted>}"), first.toString());
            assertTrue(first.out().lines().anyMatch(line -> line.matches("create secret \"slack_notify_url\\.alpha\\.example\\.org\\.[0-9a-f]{12}\""
                    + " -> webhook of cluster \"alpha.example.org\", channel #status-alpha")), first.toString());
            assertTrue(first.out().lines().anyMatch(line -> line.matches("create secret \"slack_notify_url\\.beta\\.[0-9a-f]{12}\""
                    + " -> webhook of cluster \"beta\", channel #status-beta")), first.toString());
            assertEquals(2, routeKeys(org).size(), routeKeys(org).toString());
            Map<String, Task> tasks = tasks(org);
            for (Task task : tasks.values()) {
                for (SlackReceiver receiver : List.of(alpha, beta, fallback)) {
                    assertFalse(task.flux().contains(receiver.url()), task.name() + " names a webhook URL");
                }
            }
            assertFalse(api.buckets(org.id()).stream().anyMatch(bucket -> bucket.name().equals("webhooks_")));

            restarts(org, "web", "alpha.example.org", "beta", "gamma");
            runTasks(tasks, "_record_events", "_slack_notify_restarts");
            assertEquals(1, alpha.messages().size(), alpha.messages().toString());
            assertTrue(alpha.messages().get(0).text().contains("cluster alpha.example.org")
                    && alpha.messages().get(0).channel().equals("#status-alpha"), alpha.messages().toString());
            assertEquals(1, beta.messages().size(), beta.messages().toString());
            assertTrue(beta.messages().get(0).text().contains("cluster beta")
                    && beta.messages().get(0).channel().equals("#status-beta"), beta.messages().toString());
            // gamma has no route: the default, the slack_notify_url secret, with --channel.
            assertEquals(1, fallback.messages().size(), fallback.messages().toString());
            assertTrue(fallback.messages().get(0).text().contains("cluster gamma")
                    && fallback.messages().get(0).channel().equals("#k8s"), fallback.messages().toString());
            runTasks(tasks, "_slack_notify_restarts");
            assertEquals(List.of(1, 1, 1), List.of(alpha.messages().size(), beta.messages().size(), fallback.messages().size()));

            // Unchanged routes: nothing to write.
            ToolResult same = ToolResult.run(taskmaker::new, env, "--channel", "#k8s");
            assertTrue(same.out().contains("taskmaker: 0 created, 0 updated, 0 deleted,"), same.toString());

            // alpha's webhook replaced, beta's route removed: one new secret, the Slack tasks updated, two secrets gone.
            Set<String> before = routeKeys(org);
            env.put("WEBHOOKS_YAML", yaml(alpha2, null));
            ToolResult changed = ToolResult.run(taskmaker::new, env, "--channel", "#k8s");
            assertEquals(0, changed.exitCode(), changed.toString());
            assertNoUrl(changed, alpha, alpha2, beta, fallback);
            assertTrue(changed.out().contains("taskmaker: 1 created, 3 updated, 2 deleted,"), changed.toString());
            Set<String> after = routeKeys(org);
            assertEquals(1, after.size(), after.toString());
            assertFalse(before.containsAll(after), "alpha's new webhook has a key of its own");
            restarts(org, "api", "alpha.example.org", "beta");
            runTasks(tasks(org), "_record_events", "_slack_notify_restarts", "_slack_notify_restarts");
            assertEquals(1, alpha2.messages().size(), alpha2.messages().toString());
            assertEquals(2, fallback.messages().size(), "beta has no route any more: " + fallback.messages());
            assertEquals(List.of(1, 1), List.of(alpha.messages().size(), beta.messages().size()));

            // No routes at all: the single secret, as before routes existed.
            env.remove("WEBHOOKS_YAML");
            ToolResult none = ToolResult.run(taskmaker::new, env, "--channel", "#k8s");
            assertEquals(0, none.exitCode(), none.toString());
            assertTrue(routeKeys(org).isEmpty(), routeKeys(org).toString());
            // Byte for byte the Flux of an org that never had routes.
            Org plain = server.newOrg("routes-never");
            api.createBucket(plain.id(), "multiapp_", 3600, "");
            assertEquals(0, ToolResult.run(taskmaker::new, server.env(plain), "--channel", "#k8s").exitCode());
            Map<String, Task> routed = tasks(org);
            for (Task task : tasks(plain).values()) {
                if (task.name().startsWith("_slack_notify_")) {
                    assertEquals(task.flux(), routed.get(task.name()).flux(), task.name());
                }
            }
            assertTrue(routed.values().stream().noneMatch(task -> task.flux().contains("dict.get")));
        }
    }

    private static Map<String, String> fluxOf(Org org, String prefix) {
        return tasks(org).values().stream().filter(task -> task.name().startsWith(prefix))
                .collect(Collectors.toMap(Task::name, Task::flux));
    }

    @Test
    void routeChangesUnderTheCronJobsTokenAreHeldWhileAlertingGoesOn() throws Exception {
        Org org = server.newOrg("routes-held");
        api.createBucket(org.id(), "shop", 86_400, "");
        // The CronJob's token, as an operator makes it (with multiapp_).
        ToolResult made = ToolResult.run(tokenmaker::new, server.env(org), "--for", "taskmaker", "--json");
        assertEquals(0, made.exitCode(), made.toString());
        String cronToken = made.createdToken();
        try (SlackReceiver alpha = new SlackReceiver(); SlackReceiver beta = new SlackReceiver(); SlackReceiver gamma = new SlackReceiver();
                SlackReceiver fallback = new SlackReceiver(); SlackReceiver alpha2 = new SlackReceiver()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
            Map<String, String> operatorEnv = new HashMap<>(server.env(org));
            operatorEnv.put("WEBHOOKS_YAML", yaml(alpha, beta));
            assertEquals(0, ToolResult.run(taskmaker::new, operatorEnv).exitCode());
            Set<String> keysInUse = routeKeys(org);
            Map<String, String> slackFlux = fluxOf(org, "_slack_notify_");

            // The operator edits the routes (alpha's webhook replaced, beta's route gone, gamma's new) and adds an
            // application; the CronJob runs next, with its own token.
            String edited = "- webhook_url: " + alpha2.url() + "\n  channel: \"#status-alpha\"\n  phalanx_host: alpha.example.org\n"
                    + "- webhook_url: " + gamma.url() + "\n  channel: \"#status-gamma\"\n";
            api.createBucket(org.id(), "cart", 86_400, "");
            Map<String, String> cronEnv = new HashMap<>(server.env(org, cronToken));
            cronEnv.put("WEBHOOKS_YAML", edited);
            ToolResult cron = ToolResult.run(taskmaker::new, cronEnv);
            assertEquals(4, cron.exitCode(), cron.toString());
            assertNoUrl(cron, alpha, alpha2, beta, gamma, fallback);
            List<String> held = cron.err().lines().filter(line -> line.startsWith("held: ")).toList();
            assertEquals(List.of("held: routes \"WEBHOOKS_YAML\" -> changes the webhook of cluster \"alpha.example.org\", adds a route"
                    + " for cluster \"gamma\", removes the route of cluster \"beta\": this token may not write secrets, so the routes in"
                    + " use stay as they are; apply the new ones by running taskmaker once more with these settings and a token that may"
                    + " write secrets (the operator token 'tokenmaker --for taskmaker' ran with)"), held, cron.toString());
            assertTrue(cron.out().contains("taskmaker: 0 created, 1 updated, 0 deleted,") && cron.out().contains(" 0 failed, 1 held"),
                    cron.toString());
            assertTrue(fluxOf(org, "_record_").values().stream().allMatch(flux -> flux.contains("\"cart\"")), "the rest was applied");
            assertEquals(keysInUse, routeKeys(org));
            assertEquals(slackFlux, fluxOf(org, "_slack_notify_"));

            ToolResult check = ToolResult.run(taskmaker::new, cronEnv, "--check");
            assertEquals(1, check.exitCode(), check.toString());
            assertNoUrl(check, alpha, alpha2, beta, gamma, fallback);
            assertTrue(check.err().contains("problem: routes \"WEBHOOKS_YAML\": 2 routes: not in use yet: it changes the webhook of"
                    + " cluster \"alpha.example.org\", adds a route for cluster \"gamma\", removes the route of cluster \"beta\"; run"
                    + " taskmaker with a token that may write secrets to apply it"), check.toString());

            // Alerting goes on, by the routes in use.
            restarts(org, "web", "alpha.example.org", "beta", "gamma");
            runTasks(tasks(org), "_record_events", "_slack_notify_restarts");
            assertEquals(List.of(1, 1, 1, 0, 0), List.of(alpha.messages().size(), beta.messages().size(), fallback.messages().size(),
                    gamma.messages().size(), alpha2.messages().size()));

            // The operator applies them; the CronJob then has nothing held, and --check agrees.
            operatorEnv.put("WEBHOOKS_YAML", edited);
            ToolResult applied = ToolResult.run(taskmaker::new, operatorEnv);
            assertEquals(0, applied.exitCode(), applied.toString());
            ToolResult again = ToolResult.run(taskmaker::new, cronEnv);
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(ToolResult.run(taskmaker::new, cronEnv, "--check").out().contains("ok: routes \"WEBHOOKS_YAML\": 2 routes"));
            restarts(org, "api", "alpha.example.org", "beta", "gamma");
            runTasks(tasks(org), "_record_events", "_slack_notify_restarts");
            assertEquals(List.of(1, 1, 2, 1, 1), List.of(alpha.messages().size(), beta.messages().size(), fallback.messages().size(),
                    gamma.messages().size(), alpha2.messages().size()));
            assertTrue(fallback.messages().get(1).text().contains("cluster beta"), fallback.messages().toString());
        }
    }

    @Test
    void aFirstRunUnderTheCronJobsTokenMakesTheSlackTasksWithTheRoutesThatExist() throws Exception {
        Org org = server.newOrg("routes-first");
        ToolResult made = ToolResult.run(tokenmaker::new, server.env(org), "--for", "taskmaker", "--json");
        assertEquals(0, made.exitCode(), made.toString());
        try (SlackReceiver alpha = new SlackReceiver(); SlackReceiver fallback = new SlackReceiver()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
            Map<String, String> cronEnv = new HashMap<>(server.env(org, made.createdToken()));
            cronEnv.put("WEBHOOKS_YAML", yaml(alpha, null));
            ToolResult cron = ToolResult.run(taskmaker::new, cronEnv);
            assertEquals(4, cron.exitCode(), cron.toString());
            assertTrue(cron.err().contains("held: routes \"WEBHOOKS_YAML\" -> adds a route for cluster \"alpha.example.org\": "), cron.toString());
            Map<String, String> slackFlux = fluxOf(org, "_slack_notify_");
            assertEquals(3, slackFlux.size(), slackFlux.toString());
            // Every alert goes to the default webhook until the route is applied.
            assertTrue(slackFlux.values().stream().noneMatch(flux -> flux.contains("dict.get")), slackFlux.toString());
            assertTrue(routeKeys(org).isEmpty());
        }
    }

    @Test
    void checkNamesTheRouteSlackRefusesAndTheRouteNoClusterFeedsNeverItsUrl() throws Exception {
        Org org = server.newOrg("routes-check");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        try (SlackReceiver alpha = new SlackReceiver(); SlackReceiver beta = new SlackReceiver(); SlackReceiver ghost = new SlackReceiver();
                SlackReceiver fallback = new SlackReceiver()) {
            admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
            Map<String, String> env = new HashMap<>(server.env(org));
            env.put("WEBHOOKS_YAML", yaml(alpha, beta) + "- webhook_url: " + ghost.url() + "\n  phalanx_env: ghost\n");
            assertEquals(0, ToolResult.run(taskmaker::new, env).exitCode());
            restarts(org, "web", "alpha.example.org", "beta", "gamma");
            alpha.answer(SlackReceiver.Answer.REVOKED);
            runTasks(tasks(org), "_record_events", "_slack_notify_restarts");
            assertEquals(List.of(0, 1, 1), List.of(alpha.messages().size(), beta.messages().size(), fallback.messages().size()));

            ToolResult check = ToolResult.run(taskmaker::new, env, "--check");
            assertEquals(1, check.exitCode(), check.toString());
            assertNoUrl(check, alpha, beta, ghost, fallback);
            List<String> problems = check.err().lines().filter(line -> line.startsWith("problem: webhook ")).toList();
            assertEquals(2, problems.size(), check.toString());
            assertTrue(problems.get(0).matches("problem: webhook \"alpha\\.example\\.org\": the route of cluster \"alpha\\.example\\.org\":"
                    + " Slack answered 404 to its last post, at \\S+: the webhook was revoked or its channel is gone: replace it"), problems.get(0));
            assertEquals("problem: webhook \"ghost\": the route of cluster \"ghost\": no application bucket has data of cluster \"ghost\""
                    + " from the last hour, so no alert goes to this route: name the cluster as Telegraf's cluster tag does", problems.get(1));
            assertTrue(check.out().contains("ok: webhook \"beta\": the route of cluster \"beta\"; its last post was taken at ")
                    && check.out().contains("ok: webhook \"slack_notify_url\": the default, for clusters without a route; its last post was"
                    + " taken at "), check.toString());

            // Slack takes alpha's posts again: the held alert arrives once, and --check no longer names alpha.
            alpha.answer(SlackReceiver.Answer.OK);
            runTasks(tasks(org), "_slack_notify_restarts", "_slack_notify_restarts");
            assertEquals(List.of(1, 1, 1), List.of(alpha.messages().size(), beta.messages().size(), fallback.messages().size()));
            ToolResult after = ToolResult.run(taskmaker::new, env, "--check");
            assertEquals(List.of("problem: webhook \"ghost\""), after.err().lines().filter(line -> line.startsWith("problem: webhook "))
                    .map(line -> line.substring(0, line.indexOf(':', 9))).toList(), after.toString());
        }
    }

    @Test
    void withoutADefaultWebhookRoutedAlertsGoOnAndTheOthersWaitForIt() throws Exception {
        Org org = server.newOrg("routes-nodefault");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        try (SlackReceiver alpha = new SlackReceiver(); SlackReceiver fallback = new SlackReceiver()) {
            Map<String, String> env = new HashMap<>(server.env(org));
            env.put("WEBHOOKS_YAML", yaml(alpha, null));
            ToolResult made = ToolResult.run(taskmaker::new, env);
            assertEquals(0, made.exitCode(), made.toString());
            assertTrue(made.err().contains("warning: the org has no secret \"slack_notify_url\": alerts of clusters without a route"
                    + " wait until it holds the default webhook URL and taskmaker runs again"), made.toString());
            restarts(org, "web", "alpha.example.org", "gamma");
            runTasks(tasks(org), "_record_events");
            TaskRuns.succeeds(api, tasks(org).get("_slack_notify_restarts"));
            assertEquals(1, alpha.messages().size(), alpha.messages().toString());
            assertTrue(alpha.messages().get(0).text().contains("pod web-alpha.example.org"), alpha.messages().toString());
            assertEquals(1, Recorded.sent(admin, org), "gamma's alert is not sent");

            ToolResult check = ToolResult.run(taskmaker::new, env, "--check");
            assertEquals(1, check.exitCode(), check.toString());
            assertTrue(check.err().contains("problem: webhook \"slack_notify_url\": the default, for clusters without a route: the secret"
                    + " does not exist, so alerts of clusters without a route are held (while multiapp_ keeps them) until it does and"
                    + " taskmaker runs again; clusters without a route: \"gamma\""), check.toString());
            assertNoUrl(check, alpha);

            // The operator adds the default webhook; the CronJob's next taskmaker run takes it up.
            admin.putSecrets(org.id(), Map.of("slack_notify_url", fallback.url()));
            ToolResult again = ToolResult.run(taskmaker::new, env);
            assertEquals(0, again.exitCode(), again.toString());
            assertFalse(again.err().contains("no secret"), again.toString());
            Thread.sleep(1100);
            TaskRuns.succeeds(api, tasks(org).get("_slack_notify_restarts"));
            assertEquals(1, fallback.messages().size(), fallback.messages().toString());
            assertTrue(fallback.messages().get(0).text().contains("pod web-gamma"), fallback.messages().toString());
            assertEquals(1, alpha.messages().size(), "alpha's alert once: " + alpha.messages());
            ToolResult checked = ToolResult.run(taskmaker::new, env, "--check");
            assertEquals(0, checked.exitCode(), checked.toString());
        }
    }

    @Test
    void malformedRoutesAreOneLineAndChangeNothing() throws Exception {
        Org org = server.newOrg("routes-bad");
        api.createBucket(org.id(), "shop", 86_400, "");
        Map<String, String> env = new HashMap<>(server.env(org));
        env.put("WEBHOOKS_YAML", "- webhook_url: https://hooks.example/secret-part\n  channel: #status-x\n");
        ToolResult run = ToolResult.run(taskmaker::new, env);
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("taskmaker: WEBHOOKS_YAML line 1: the route names no cluster: give phalanx_host (or a channel such as"
                + " '#status-<cluster>')", run.err().strip());
        assertTrue(api.tasks(org.id()).isEmpty());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("webhooks", ".yaml");
        try {
            java.nio.file.Files.writeString(file, "- {webhook_url: https://hooks.example/secret-part}\n");
            ToolResult fromFile = ToolResult.run(taskmaker::new, server.env(org), "--webhooks-file", file.toString());
            assertEquals(2, fromFile.exitCode(), fromFile.toString());
            assertTrue(fromFile.err().startsWith("taskmaker: --webhooks-file " + file + " line 1: flow style"), fromFile.toString());
            assertFalse(fromFile.toString().contains("secret-part"), fromFile.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertTrue(api.tasks(org.id()).isEmpty());
    }
}

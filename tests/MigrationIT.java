import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import alerts.ManagedTask;
import influx.Bucket;
import influx.Org;
import influx.Permission;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/**
 * Switching from the latest original Python tools, as one of its users would: its objects made as
 * it makes them (OriginalTools), then taskmaker run with the token it made, on the real server.
 */
class MigrationIT extends RealServerTest {
    private static final List<OriginalTools.Webhook> WEBHOOKS = List.of(
            new OriginalTools.Webhook("http://127.0.0.1:9/services/roundtable", "#status-roundtable", OriginalTools.DEFAULT_CLUSTER),
            new OriginalTools.Webhook("http://127.0.0.1:9/services/data", "#status-data", "data.lsst.cloud"));

    private static Set<String> taskNames(Org org) {
        return api.tasks(org.id()).stream().map(Task::name).collect(Collectors.toSet());
    }

    private static Set<String> bucketNames(Org org) {
        return api.buckets(org.id()).stream().map(Bucket::name).collect(Collectors.toSet());
    }

    @Test
    void theOriginalsTokenRunsTaskmakerAndItsLeftoversAreReportedThenRetired() {
        Org org = server.newOrg("migrate");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "monitoring", 86_400, "");
        Map<String, String> original = OriginalTools.install(admin, org, List.of("shop"), WEBHOOKS);
        String token = OriginalTools.token(api, org);
        // A CPU sample, so that the original's "Shop cpu_checks" has rows to write to its hard-coded org.
        long t = Instant.now().getEpochSecond() - 120;
        admin.write(org.id(), "shop", "kubernetes_pod_container,cluster=c1,namespace=shop,pod_name=web-1,container_name=web"
                + " cpu_usage_nanocores=950000000i,resource_limits_millicpu_units=1000i " + t);
        TaskRun cpuRun = TaskRuns.runToCompletion(api, original.get("Shop cpu_checks"), Duration.ofSeconds(60));
        assertEquals("failed", cpuRun.status(), "the original's task names org \"square\": " + cpuRun.log());

        // Step one of docs/migration.md: the default route's webhook as the secret our Slack tasks read.
        admin.putSecrets(org.id(), Map.of("slack_notify_url", WEBHOOKS.get(0).url()));

        // Its token: no read on users (GET /me), none on secrets, and the org only by orgID: by name it is told the ID.
        Map<String, String> env = server.env(org, token);
        ToolResult byName = ToolResult.run(taskmaker::new, env, "--dry-run");
        assertEquals(2, byName.exitCode(), byName.toString());
        assertEquals("taskmaker: no organisation named '" + org.name() + "' is visible to this token, but its buckets are:"
                + " the token may see that org only by its ID; pass --org-id " + org.id() + " (or INFLUXDB_ORG_ID) instead of the name",
                byName.err().strip());
        env.remove("INFLUXDB_ORG");
        env.put("INFLUXDB_ORG_ID", org.id());
        ToolResult first = ToolResult.run(taskmaker::new, env);
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.err().contains("warning: cannot check that the token's user owns org"), first.toString());
        assertTrue(first.err().contains("cannot list the org's secrets"), first.toString());
        assertTrue(first.err().contains("2 task(s) of the original Python tool are not managed by taskmaker"
                + " (\"Shop cpu_checks\", \"_slack_notify_cpu_checks\")"), first.toString());
        assertTrue(first.err().contains("webhooks_ holds webhook URLs"), first.toString());
        assertTrue(first.out().contains("host bucket \"monitoring\" (chosen: no bucket roundtable_internal_, but the original tool's monitoring)"),
                first.toString());
        // Adopted in place: the same task IDs, now with our Flux; its first shop task became the one that watches every
        // application, and the other went.
        for (String name : List.of("Shop restarts", "_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks")) {
            Task task = api.tasks(org.id()).stream().filter(found -> found.id().equals(original.get(name))).findFirst().orElseThrow();
            assertTrue(ManagedTask.identityOf(task).isPresent(), name + " was not adopted: " + first);
        }
        assertTrue(first.out().contains("update task \"_record_events\""), first.toString());
        assertFalse(first.out().contains("create task \"_record_events\""), first.toString());
        assertTrue(first.out().contains("delete task \"Shop state_checks\" -> replaced by _record_events"), first.toString());

        // Each adopted task's latest run is one of its new Flux (a scheduled run of the old Flux may have come before).
        for (Task task : api.tasks(org.id())) {
            if (ManagedTask.identityOf(task).isPresent()) {
                TaskRun run = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
                assertEquals("success", run.status(), task.name() + ": " + run.log());
            }
        }

        // --check: a health report; the leftovers are listed with their last run, the failing one as a problem.
        ToolResult check = ToolResult.run(taskmaker::new, env, "--check");
        assertEquals(1, check.exitCode(), check.toString());
        for (String name : List.of("_record_events", "_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks")) {
            assertTrue(check.out().lines().anyMatch(line -> line.startsWith("ok: task \"" + name + "\": ") && line.contains(", last run success ")),
                    name + "\n" + check);
        }
        assertFalse(check.err().contains("error:"), check.toString());
        assertTrue(check.err().contains("problem: task \"Shop cpu_checks\": the original Python tool's, not managed by taskmaker"
                + " (--retire-original deletes it): last run failed ("), check.toString());
        assertFalse(check.toString().contains("127.0.0.1:9"), "a webhook URL was printed: " + check);
        // Scheduled every 5m, it may have run by now: reported whatever its last run was.
        assertTrue(check.toString().contains("task \"_slack_notify_cpu_checks\": the original Python tool's, not managed by taskmaker"
                + " (--retire-original deletes it)"), check.toString());
        long problems = check.err().lines().filter(line -> line.startsWith("problem: ")).count();
        assertTrue(check.out().contains("taskmaker --check: " + (8 - problems) + " healthy, " + problems + " problem"), check.toString());

        // --retire-original, previewed: every deletion listed, nothing deleted.
        ToolResult preview = ToolResult.run(taskmaker::new, env, "--retire-original", "--dry-run");
        assertEquals(0, preview.exitCode(), preview.toString());
        for (String line : List.of("delete task \"Shop cpu_checks\"", "delete task \"_slack_notify_cpu_checks\"",
                "delete bucket \"webhooks_\"", "delete bucket \"alerted_\"")) {
            assertTrue(preview.out().contains(line + " -> the original tool's, retired by --retire-original (planned)"), preview.toString());
        }
        assertTrue(taskNames(org).containsAll(Set.of("Shop cpu_checks", "_slack_notify_cpu_checks")));
        assertTrue(bucketNames(org).containsAll(Set.of("webhooks_", "alerted_")));

        ToolResult retire = ToolResult.run(taskmaker::new, env, "--retire-original");
        assertEquals(0, retire.exitCode(), retire.toString());
        assertEquals("taskmaker: 0 created, 0 updated, 4 deleted, 5 unchanged, 0 failed", lastLine(retire.out()), retire.toString());
        assertFalse(taskNames(org).contains("Shop cpu_checks") || taskNames(org).contains("_slack_notify_cpu_checks"));
        assertFalse(bucketNames(org).contains("webhooks_") || bucketNames(org).contains("alerted_"));
        assertTrue(bucketNames(org).containsAll(Set.of("multiapp_", "monitoring", "shop")), bucketNames(org).toString());

        // Then nothing is left to do, and nothing is reported as the original's.
        ToolResult again = ToolResult.run(taskmaker::new, env);
        assertEquals("taskmaker: 0 created, 0 updated, 0 deleted, 5 unchanged, 0 failed", lastLine(again.out()), again.toString());
        assertFalse(again.err().contains("original"), again.toString());
        ToolResult healthy = ToolResult.run(taskmaker::new, env, "--check");
        assertEquals(0, healthy.exitCode(), healthy.toString());
        assertEquals("taskmaker --check: 6 healthy, 0 problems", lastLine(healthy.out()), healthy.toString());
    }

    @Test
    void theOriginalsTokenFindsItsOrgByIdToo() {
        Org org = server.newOrg("migrate-id");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        api.createBucket(org.id(), "shop", 86_400, "");
        Map<String, String> env = server.env(org, OriginalTools.token(api, org));
        env.remove("INFLUXDB_ORG");
        env.put("INFLUXDB_ORG_ID", org.id());
        ToolResult run = ToolResult.run(taskmaker::new, env, "--dry-run");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("create task \"_record_events\""), run.toString());
        ToolResult mapper = ToolResult.run(bucketmapper::new, env, "--dry-run");
        assertEquals(0, mapper.exitCode(), mapper.toString());
    }

    @Test
    void tokenmakersGrantsWithoutReadOnUsersStillRunTaskmakerWithAWarning() {
        Org org = server.newOrg("migrate-nousers");
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        String userId = api.me().getString("id", "");
        List<Permission> grants = tokens.TokenPurpose.TASKMAKER.permissions(org.id(), userId).stream()
                .filter(grant -> !grant.type().equals("users")).toList();
        String token = api.createAuthorization(org.id(), userId, "taskmaker without read:users", grants).token();
        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("warning: cannot check that the token's user owns org \"" + org.name() + "\""), run.toString());
        assertTrue(run.out().contains("create task \"_record_events\""), run.toString());
        ToolResult check = ToolResult.run(taskmaker::new, server.env(org, token), "--check");
        assertTrue(check.out().contains("ok: task \"_record_events\""), check.toString());
    }

    @Test
    void aTokenThatSeesNoneOfTheOrgIsToldTheOrgIsNotVisible() {
        Org org = server.newOrg("migrate-none");
        api.createBucket(org.id(), "shop", 86_400, "");
        String token = api.createAuthorization(org.id(), null, "tasks only",
                List.of(Permission.orgScoped("read", "tasks", org.id()))).token();
        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--dry-run");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("taskmaker: no organisation named '" + org.name() + "' is visible to this token (--org expects the"
                + " organisation's name, not its ID)", run.err().strip());
    }

    @Test
    void theHostBucketIsOursWhenBothExistAndTheFlagWins() {
        Org org = server.newOrg("migrate-host");
        api.createBucket(org.id(), "multiapp_", 3600, "");
        api.createBucket(org.id(), "roundtable_internal_", 86_400, "");
        api.createBucket(org.id(), "monitoring", 86_400, "");
        ToolResult both = ToolResult.run(taskmaker::new, server.env(org), "--dry-run");
        assertTrue(both.out().contains("host bucket \"roundtable_internal_\" (chosen: it exists)"), both.toString());
        ToolResult flag = ToolResult.run(taskmaker::new, server.env(org), "--dry-run", "--host-bucket", "monitoring");
        assertTrue(flag.out().contains("host bucket \"monitoring\" (--host-bucket)"), flag.toString());
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}

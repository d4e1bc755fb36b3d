import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import influx.Bucket;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;
import tokens.Multiapp;

/** taskmaker's reconciliation against a real server: what it creates, keeps, fixes and never touches. */
class TaskmakerIT extends RealServerTest {

    private static ToolResult taskmaker(Org org, String... args) {
        return ToolResult.run(taskmaker::new, server.env(org), args);
    }

    private static Map<String, Task> tasksByName(Org org) {
        return api.tasks(org.id()).stream().collect(Collectors.toMap(Task::name, task -> task));
    }

    private static Task handMadeTask(Org org, String name) {
        return api.createTask(org.id(), "option task = {name: \"" + name + "\", every: 1h}\n"
                + "from(bucket: \"multiapp_\") |> range(start: -1m) |> yield()\n", "made by hand");
    }

    @Test
    void createsEverythingOnceThenChangesNothing() {
        Org org = server.newOrg("tm-idem");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        api.createBucket(org.id(), "hosts_", 86_400, "");
        ToolResult first = taskmaker(org);
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.err().contains("no secret \"slack_notify_url\""), "warns about the missing secret: " + first.err());
        Bucket multiapp = api.bucket(org.id(), "multiapp_").orElseThrow();
        assertEquals(6 * 3600, multiapp.retentionSeconds(), "as tokenmaker made it: taskmaker leaves it so");
        assertEquals(4, api.tasks(org.id()).size(), "one that watches shop, three Slack tasks");
        assertFalse(tasksByName(org).get("_record_events").flux().contains("\"hosts_\""), "hosts_ is no application");
        assertTrue(api.tasks(org.id()).stream().noneMatch(task -> task.flux().contains("org:")),
                "to() writes to the task's own org; no org is named in the Flux");
        assertTrue(api.bucket(org.id(), "taskmaker.lock_").isEmpty(), "the lock is released");

        ToolResult second = taskmaker(org, "--json");
        assertEquals(0, second.exitCode(), second.toString());
        JsonObject summary = second.json().get("summary").asObject();
        assertEquals(0, summary.getInt("created", -1) + summary.getInt("updated", -1) + summary.getInt("deleted", -1),
                second.out());
        assertEquals(5, summary.getInt("unchanged", -1));
    }

    @Test
    void restoresAManagedTaskWhoseFluxWasEdited() {
        Org org = server.newOrg("tm-drift");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        assertEquals(0, taskmaker(org).exitCode());
        Task original = tasksByName(org).get("_record_events");
        String edited = original.flux() + "\n// edited by hand\n";
        api.updateTask(original.id(), edited);
        api.http().patch("/api/v2/tasks/" + original.id(), Json.object().add("status", "inactive"));

        ToolResult run = taskmaker(org);
        assertEquals(0, run.exitCode(), run.toString());
        Task restored = tasksByName(org).get("_record_events");
        assertEquals(original.id(), restored.id(), "updated in place");
        assertEquals(original.flux(), restored.flux());
        assertTrue(restored.isActive());
        assertTrue(run.out().contains("update task \"_record_events\""), run.out());
    }

    @Test
    void theWatchFollowsTheBucketsAndForceSparesHandMadeTasks() {
        Org org = server.newOrg("tm-follow");
        Multiapp.create(api, org.id());
        Bucket gone = api.createBucket(org.id(), "gone", 86_400, "");
        api.createBucket(org.id(), "kept", 86_400, "");
        Task mine = handMadeTask(org, "Gone restarts backup");
        assertEquals(0, taskmaker(org).exitCode());
        String id = tasksByName(org).get("_record_events").id();
        String flux = tasksByName(org).get("_record_events").flux();
        assertTrue(flux.contains("applications = [\"gone\", \"kept\"]"), flux);
        api.deleteBucket(gone.id());
        // Until taskmaker runs again, the task skips the bucket that is gone.
        assertEquals("success", TaskRuns.runToCompletion(api, id, Duration.ofSeconds(60)).status());

        ToolResult again = taskmaker(org);
        assertEquals(0, again.exitCode(), again.toString());
        Map<String, Task> after = tasksByName(org);
        assertEquals(id, after.get("_record_events").id(), "updated in place");
        assertTrue(after.get("_record_events").flux().contains("applications = [\"kept\"]"), after.get("_record_events").flux());
        assertEquals(5, after.size(), after.keySet().toString());

        ToolResult pruned = taskmaker(org, "--prune", "--json");
        assertEquals(0, pruned.exitCode(), pruned.toString());
        assertEquals(0, pruned.json().get("summary").asObject().getInt("deleted", -1), pruned.out());
        assertTrue(tasksByName(org).containsKey(mine.name()), "a hand-made task is never pruned");

        ToolResult forced = taskmaker(org, "--force", "--prune");
        assertEquals(0, forced.exitCode(), forced.toString());
        Map<String, Task> recreated = tasksByName(org);
        assertFalse(recreated.get("_record_events").id().equals(id), "--force recreates managed tasks");
        assertEquals(mine.id(), recreated.get(mine.name()).id(), "a hand-made task survives --force");
        assertEquals(5, recreated.size());
    }

    @Test
    void replacesTheOriginalToolsPerApplicationTasksKeepingOneInPlace() {
        Org org = server.newOrg("tm-adopt");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "myApp", 86_400, "");
        api.createBucket(org.id(), "other", 86_400, "");
        Task first = handMadeTask(org, "Myapp restarts");
        Task second = handMadeTask(org, "Other restarts");
        ToolResult run = taskmaker(org);
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, Task> tasks = tasksByName(org);
        assertEquals(first.id(), tasks.get("_record_events").id(), "updated in place, not duplicated");
        assertTrue(tasks.get("_record_events").flux().startsWith("// Managed by influx-tools taskmaker"));
        assertTrue(run.out().contains("delete task \"Other restarts\" -> replaced by _record_events"), run.out());
        assertTrue(api.tasks(org.id()).stream().noneMatch(task -> task.id().equals(second.id())), run.out());
        assertEquals(java.util.Set.of("_record_events", "_slack_notify_restarts", "_slack_notify_state_checks", "_slack_notify_disk_checks"),
                tasks.keySet());
    }

    @Test
    void oddBucketNamesMakeTasksThatAreAcceptedAndRun() {
        Org org = server.newOrg("tm-names");
        Multiapp.create(api, org.id());
        List<String> names = List.of("back\\slash", "dollar${brace}", "with spaces", "\u00fcn\u00efc\u00f8d\u00e9\u2603", "it's#1");
        names.forEach(name -> api.createBucket(org.id(), name, 86_400, ""));
        ToolResult run = taskmaker(org);
        assertEquals(0, run.exitCode(), run.toString());
        List<Task> tasks = api.tasks(org.id());
        assertEquals(4, tasks.size());
        for (Task task : tasks) {
            if (task.name().startsWith("_record_")) {
                TaskRun ran = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
                assertEquals("success", ran.status(), task.name() + ": " + ran.log());
                assertTrue(task.flux().contains("\"dollar\\${brace}\""), task.flux());
            }
        }
        // The watch runs at the minute, the Slack tasks half a minute later, when its events are written.
        for (Task task : tasks) {
            assertTrue(task.flux().contains(task.name().startsWith("_record_") ? "every: 1m, offset: 0s" : "every: 1m, offset: 30s"),
                    task.flux());
        }
        ToolResult again = taskmaker(org, "--json");
        assertEquals(5, again.json().get("summary").asObject().getInt("unchanged", -1), again.out());
    }

    @Test
    void badSchedulesAndThresholdsAreUsageErrors() {
        Org org = server.newOrg("tm-usage");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        for (String[] args : List.of(new String[] {"--every", "1 minute"}, new String[] {"--alert-offset", "30"},
                new String[] {"--disk-warn", "96", "--disk-danger", "95"})) {
            ToolResult run = taskmaker(org, args);
            assertEquals(2, run.exitCode(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
        }
        assertTrue(api.tasks(org.id()).isEmpty());
    }

    @Test
    void dryRunSendsNoWrite() {
        Org org = server.newOrg("tm-dry");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        ToolResult run = taskmaker(org, "--dry-run", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(api.tasks(org.id()).isEmpty());
        assertEquals(4, run.json().get("summary").asObject().getInt("created", -1));
    }

    @Test
    void checkReportsMissingTasksAndFailedRuns() {
        Org org = server.newOrg("tm-check");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        ToolResult before = taskmaker(org, "--check");
        assertEquals(1, before.exitCode(), before.toString());
        assertTrue(before.err().contains("\"_record_events\"") && before.err().contains("missing"), before.err());

        assertEquals(0, taskmaker(org).exitCode());
        // No Slack secret: the Slack task's run fails, and --check must say so.
        Task slack = tasksByName(org).get("_slack_notify_restarts");
        TaskRun failed = TaskRuns.runToCompletion(api, slack.id(), Duration.ofSeconds(60));
        assertEquals("failed", failed.status());
        // --check reads the runs list, which shows a finished run a moment after it ends.
        TaskRuns.latestListed(api, slack.id(), failed.id(), Duration.ofSeconds(30));
        ToolResult check = taskmaker(org, "--check");
        assertEquals(1, check.exitCode(), check.toString());
        assertTrue(check.err().contains("_slack_notify_restarts") && check.err().contains("last run failed"), check.err());
        // A health report: healthy tasks are "ok" lines on stdout, never errors.
        assertTrue(check.out().contains("ok: task \"_record_events\": events of 1 application bucket, last run "), check.toString());
        assertFalse(check.err().contains("_record_events") || check.err().contains("error:"), check.toString());
        assertTrue(check.err().lines().allMatch(line -> line.startsWith("problem: ")), check.toString());
    }

    @Test
    void refusesATokenWhoseUserIsOnlyAMember() {
        Org org = server.newOrg("tm-member");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        String member = OrgTokens.memberToken(api, org);
        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, member));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not an owner"), run.err());
        assertTrue(api.tasks(org.id()).isEmpty());
        assertFalse(run.err().contains(member) || run.out().contains(member));
    }

    @Test
    void tasksFollowTheOperatorsOwnTemplates(@org.junit.jupiter.api.io.TempDir Path templates) throws Exception {
        Org org = server.newOrg("tm-own-templates");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        assertEquals(0, taskmaker(org).exitCode());
        Files.copy(Path.of("templates/slack.stg"), templates.resolve("slack.stg"));
        Files.writeString(templates.resolve("application.stg"), Files.readString(Path.of("templates/application.stg"))
                .replace("range(start: -5m)", "range(start: -7m)"));

        ToolResult run = taskmaker(org, "--template-dir", templates.toString(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.json().get("summary").asObject().getInt("updated", -1), run.out());
        Task state = tasksByName(org).get("_record_events");
        assertTrue(state.flux().contains("range(start: -7m)"), state.flux());
        assertEquals("success", TaskRuns.runToCompletion(api, state.id(), Duration.ofSeconds(60)).status());
    }

    @Test
    void aBrokenTemplateIsAnErrorNamingTheTemplate(@org.junit.jupiter.api.io.TempDir Path templates) throws Exception {
        Org org = server.newOrg("tm-template");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        Files.copy(Path.of("templates/slack.stg"), templates.resolve("slack.stg"));
        Files.writeString(templates.resolve("application.stg"), "delimiters \"\u00ab\", \"\u00bb\"\n"
                + "events(name, every, offset, applications, multiapp, grace, pending_since) ::= << \u00abname \u00bb\n");
        ToolResult broken = taskmaker(org, "--template-dir", templates.toString());
        assertEquals(2, broken.exitCode(), broken.toString());
        assertTrue(broken.err().contains("application.stg"), broken.err());

        Files.writeString(templates.resolve("application.stg"), "delimiters \"\u00ab\", \"\u00bb\"\n"
                + "events(name, every, offset, applications, multiapp, grace, pending_since, extra) ::= << \u00abextra\u00bb >>\n");
        ToolResult missing = taskmaker(org, "--template-dir", templates.toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("application.stg, template events") && missing.err().contains("extra"), missing.err());
        assertTrue(api.tasks(org.id()).isEmpty());
    }
}

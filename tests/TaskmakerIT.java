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
        assertEquals(3600, multiapp.retentionSeconds());
        assertEquals(5, api.tasks(org.id()).size(), "two for shop, three Slack tasks; none for hosts_");
        assertTrue(api.tasks(org.id()).stream().noneMatch(task -> task.flux().contains("org:")),
                "to() writes to the task's own org; no org is named in the Flux");
        assertTrue(api.bucket(org.id(), "taskmaker.lock_").isEmpty(), "the lock is released");

        ToolResult second = taskmaker(org, "--json");
        assertEquals(0, second.exitCode(), second.toString());
        JsonObject summary = second.json().get("summary").asObject();
        assertEquals(0, summary.getInt("created", -1) + summary.getInt("updated", -1) + summary.getInt("deleted", -1),
                second.out());
        assertEquals(6, summary.getInt("unchanged", -1));
    }

    @Test
    void restoresAManagedTaskWhoseFluxWasEdited() {
        Org org = server.newOrg("tm-drift");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        assertEquals(0, taskmaker(org).exitCode());
        Task original = tasksByName(org).get("Shop restarts");
        String edited = original.flux().replace("range(start: -15m)", "range(start: -1m)");
        api.updateTask(original.id(), edited);
        api.http().patch("/api/v2/tasks/" + original.id(), Json.object().add("status", "inactive"));

        ToolResult run = taskmaker(org);
        assertEquals(0, run.exitCode(), run.toString());
        Task restored = tasksByName(org).get("Shop restarts");
        assertEquals(original.id(), restored.id(), "updated in place");
        assertEquals(original.flux(), restored.flux());
        assertTrue(restored.isActive());
        assertTrue(run.out().contains("update task \"Shop restarts\""), run.out());
    }

    @Test
    void prunesOnlyTheTasksOfDeletedBucketsAndForceSparesHandMadeTasks() {
        Org org = server.newOrg("tm-prune");
        Multiapp.create(api, org.id());
        Bucket gone = api.createBucket(org.id(), "gone", 86_400, "");
        api.createBucket(org.id(), "kept", 86_400, "");
        Task mine = handMadeTask(org, "Gone restarts backup");
        assertEquals(0, taskmaker(org).exitCode());
        api.deleteBucket(gone.id());

        ToolResult withoutPrune = taskmaker(org);
        assertEquals(0, withoutPrune.exitCode(), withoutPrune.toString());
        assertTrue(tasksByName(org).containsKey("Gone restarts"), "without --prune nothing is deleted");

        ToolResult pruned = taskmaker(org, "--prune");
        assertEquals(0, pruned.exitCode(), pruned.toString());
        Map<String, Task> after = tasksByName(org);
        assertFalse(after.containsKey("Gone restarts") || after.containsKey("Gone state_checks"), after.keySet().toString());
        assertTrue(after.containsKey("Kept restarts") && after.containsKey("Kept state_checks"));
        assertTrue(after.containsKey(mine.name()), "a hand-made task is never pruned");

        String keptId = after.get("Kept restarts").id();
        ToolResult forced = taskmaker(org, "--force", "--prune");
        assertEquals(0, forced.exitCode(), forced.toString());
        Map<String, Task> recreated = tasksByName(org);
        assertFalse(recreated.get("Kept restarts").id().equals(keptId), "--force recreates managed tasks");
        assertEquals(mine.id(), recreated.get(mine.name()).id(), "a hand-made task survives --force");
        assertEquals(6, recreated.size());
    }

    @Test
    void adoptsTheOriginalToolsTaskByName() {
        Org org = server.newOrg("tm-adopt");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "myApp", 86_400, "");
        Task old = handMadeTask(org, "Myapp restarts");
        ToolResult run = taskmaker(org);
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, Task> tasks = tasksByName(org);
        assertEquals(old.id(), tasks.get("Myapp restarts").id(), "adopted, not duplicated");
        assertTrue(tasks.get("Myapp restarts").flux().startsWith("// Managed by influx-tools taskmaker"));
        assertEquals(1, api.tasks(org.id()).stream().filter(task -> task.name().equals("Myapp restarts")).count());
        assertTrue(tasks.containsKey("Myapp state_checks"));
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
        assertEquals(names.size() * 2 + 3, tasks.size());
        for (Task task : tasks) {
            if (!task.name().startsWith("_")) {
                TaskRun ran = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
                assertEquals("success", ran.status(), task.name() + ": " + ran.log());
            }
        }
        assertTrue(tasks.stream().anyMatch(task -> task.name().equals("Dollar${brace} restarts")));
        // Application tasks run every minute, each application at its own offset within it.
        java.util.Set<String> offsets = new java.util.HashSet<>();
        for (Task task : tasks) {
            java.util.regex.Matcher schedule = java.util.regex.Pattern.compile("every: 1m, offset: (\\d+)s").matcher(task.flux());
            assertTrue(schedule.find(), task.flux());
            if (!task.name().startsWith("_")) {
                assertTrue(Integer.parseInt(schedule.group(1)) < 60, task.flux());
                offsets.add(schedule.group(1));
            }
        }
        assertTrue(offsets.size() > 1, "staggered: " + offsets);
        ToolResult again = taskmaker(org, "--json");
        assertEquals(names.size() * 2 + 4, again.json().get("summary").asObject().getInt("unchanged", -1), again.out());
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
        assertEquals(5, run.json().get("summary").asObject().getInt("created", -1));
    }

    @Test
    void checkReportsMissingTasksAndFailedRuns() {
        Org org = server.newOrg("tm-check");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        ToolResult before = taskmaker(org, "--check");
        assertEquals(1, before.exitCode(), before.toString());
        assertTrue(before.err().contains("\"Shop restarts\"") && before.err().contains("missing"), before.err());

        assertEquals(0, taskmaker(org).exitCode());
        // No Slack secret: the Slack task's run fails, and --check must say so.
        Task slack = tasksByName(org).get("_slack_notify_restarts");
        TaskRun failed = TaskRuns.runToCompletion(api, slack.id(), Duration.ofSeconds(60));
        assertEquals("failed", failed.status());
        ToolResult check = taskmaker(org, "--check");
        assertEquals(1, check.exitCode(), check.toString());
        assertTrue(check.err().contains("_slack_notify_restarts") && check.err().contains("last run failed"), check.err());
        // A health report: healthy tasks are "ok" lines on stdout, never errors.
        assertTrue(check.out().contains("ok: task \"Shop restarts\": restarts of bucket \"shop\", last run "), check.toString());
        assertFalse(check.err().contains("Shop restarts") || check.err().contains("error:"), check.toString());
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
                .replace("range(start: -15m)", "range(start: -30m)"));

        ToolResult run = taskmaker(org, "--template-dir", templates.toString(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.json().get("summary").asObject().getInt("updated", -1), run.out());
        Task restarts = tasksByName(org).get("Shop restarts");
        assertTrue(restarts.flux().contains("range(start: -30m)"), restarts.flux());
        assertEquals("success", TaskRuns.runToCompletion(api, restarts.id(), Duration.ofSeconds(60)).status());
    }

    @Test
    void aBrokenTemplateIsAnErrorNamingTheTemplate(@org.junit.jupiter.api.io.TempDir Path templates) throws Exception {
        Org org = server.newOrg("tm-template");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        Files.copy(Path.of("templates/slack.stg"), templates.resolve("slack.stg"));
        Files.writeString(templates.resolve("application.stg"), "delimiters \"\u00ab\", \"\u00bb\"\n"
                + "restarts(name, every, offset, application, bucket, multiapp) ::= << \u00abname \u00bb\n");
        ToolResult broken = taskmaker(org, "--template-dir", templates.toString());
        assertEquals(2, broken.exitCode(), broken.toString());
        assertTrue(broken.err().contains("application.stg"), broken.err());

        Files.writeString(templates.resolve("application.stg"), "delimiters \"\u00ab\", \"\u00bb\"\n"
                + "restarts(name, every, offset, application, bucket, multiapp, extra) ::= << \u00abextra\u00bb >>\n"
                + "state_checks(name, every, offset, application, bucket, multiapp) ::= << x >>\n");
        ToolResult missing = taskmaker(org, "--template-dir", templates.toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("application.stg, template restarts") && missing.err().contains("extra"), missing.err());
        assertTrue(api.tasks(org.id()).isEmpty());
    }
}

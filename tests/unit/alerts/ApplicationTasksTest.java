package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import influx.Bucket;
import influx.Task;
import org.junit.jupiter.api.Test;

/** Two tasks watch every application bucket, and they replace the per-application tasks of earlier versions. */
class ApplicationTasksTest {
    private static final AlertTasks DESIGN = new AlertTasks(FluxTemplates.bundled(), "1m", "1m", "30s", "slack_notify_url", "",
            "roundtable_internal_", 85, 95, WebhookRoutes.NONE, "0a1b2c3d4e5f6a7b", "5m", "30m");

    private static Bucket bucket(String name) {
        return new Bucket("id-" + name, name, "0a1b2c3d4e5f6a7b", 86_400, "");
    }

    @Test
    void twoTasksWatchAllTheBucketsWhateverTheirNumber() {
        List<Bucket> buckets = List.of(bucket("shop"), bucket("a\"b"), bucket("${x}"));
        List<ManagedTask> tasks = DESIGN.applicationTasks(buckets);
        assertEquals(List.of("_record_restarts", "_record_state_checks"), tasks.stream().map(ManagedTask::name).toList());
        for (ManagedTask task : tasks) {
            assertTrue(task.flux().contains("applications = [\"shop\", \"a\\\"b\", \"\\${x}\"]"), task.flux());
            assertTrue(task.flux().startsWith("// Managed by influx-tools taskmaker: " + task.kind() + "\n"), task.flux());
        }
        assertEquals(2, DESIGN.applicationTasks(List.of()).size(), "none yet: they watch nothing until there is one");
        assertTrue(DESIGN.applicationTasks(List.of()).get(0).flux().contains("applications = []"));
    }

    @Test
    void theyReplaceThePerApplicationTasksOfEarlierVersionsAndOfTheOriginal() {
        ManagedTask restarts = DESIGN.applicationTasks(List.of(bucket("shop"))).get(0);
        ManagedTask earlier = ManagedTask.of("restarts", "shop", "Shop restarts", "option task = {name: \"Shop restarts\", every: 1m}");
        ManagedTask earlierState = ManagedTask.of("state_checks", "shop", "Shop state_checks", "option task = {name: \"x\", every: 1m}");
        assertTrue(restarts.replaces(task("Shop restarts", earlier.flux())));
        assertFalse(restarts.replaces(task("Shop state_checks", earlierState.flux())), "another kind");
        assertFalse(restarts.replaces(task("_record_restarts", restarts.flux())), "itself");
        String original = "option task = {name: \"Shop restarts\", every: 2m30s}\nfrom(bucket: \"shop\") |> to(bucket: \"multiapp_\")";
        assertTrue(restarts.replaces(task("Shop restarts", original)));
        assertFalse(restarts.replaces(task("Shop restarts backup", original)), "not named as the original names them");
        assertFalse(restarts.replaces(task("Shop restarts", "from(bucket: \"shop\") |> yield()")), "an operator's own");
    }

    private static Task task(String name, String flux) {
        return new Task("t-" + name.hashCode(), name, "0a1b2c3d4e5f6a7b", "u", "active", flux);
    }
}

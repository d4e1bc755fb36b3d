package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import influx.Bucket;
import influx.Task;
import org.junit.jupiter.api.Test;

/** One task watches every application bucket, and it replaces the record tasks of earlier versions and of the original. */
class ApplicationTasksTest {
    private static final AlertTasks DESIGN = new AlertTasks(FluxTemplates.bundled(), "1m", "1m", "30s", "slack_notify_url", "",
            "roundtable_internal_", 85, 95, WebhookRoutes.NONE, "0a1b2c3d4e5f6a7b", "5m", "30m");

    private static Bucket bucket(String name) {
        return new Bucket("id-" + name, name, "0a1b2c3d4e5f6a7b", 86_400, "");
    }

    @Test
    void oneTaskWatchesAllTheBucketsWhateverTheirNumber() {
        List<Bucket> buckets = List.of(bucket("shop"), bucket("a\"b"), bucket("${x}"));
        List<ManagedTask> tasks = DESIGN.applicationTasks(buckets);
        assertEquals(List.of("_record_events"), tasks.stream().map(ManagedTask::name).toList());
        ManagedTask task = tasks.get(0);
        assertTrue(task.flux().contains("applications = [\"shop\", \"a\\\"b\", \"\\${x}\"]"), task.flux());
        assertTrue(task.flux().startsWith("// Managed by influx-tools taskmaker: events\n"), task.flux());
        assertEquals(1, DESIGN.applicationTasks(List.of()).size(), "none yet: it watches nothing until there is one");
        assertTrue(DESIGN.applicationTasks(List.of()).get(0).flux().contains("applications = []"));
    }

    @Test
    void itReplacesTheRecordTasksOfEarlierVersionsAndOfTheOriginal() {
        ManagedTask events = DESIGN.applicationTasks(List.of(bucket("shop"))).get(0);
        for (String kind : List.of("restarts", "state_checks")) {
            ManagedTask perBucket = ManagedTask.of(kind, "shop", "Shop " + kind, "option task = {name: \"Shop " + kind + "\", every: 1m}");
            assertTrue(events.replaces(task("Shop " + kind, perBucket.flux())), kind + " per bucket");
            ManagedTask watchingAll = ManagedTask.of(kind, null, "_record_" + kind, "option task = {name: \"_record_" + kind + "\", every: 1m}");
            assertTrue(events.replaces(task("_record_" + kind, watchingAll.flux())), kind + " of every bucket");
            String original = "option task = {name: \"Shop " + kind + "\", every: 2m30s}\nfrom(bucket: \"shop\") |> to(bucket: \"multiapp_\")";
            assertTrue(events.replaces(task("Shop " + kind, original)), kind + " of the original");
            assertFalse(events.replaces(task("Shop " + kind + " backup", original)), "not named as the original names them");
        }
        assertFalse(events.replaces(task("_record_events", events.flux())), "itself");
        assertFalse(events.replaces(task("Shop restarts", "from(bucket: \"shop\") |> yield()")), "an operator's own");
        ManagedTask slack = DESIGN.alertTasks().get(0);
        ManagedTask earlierRecord = ManagedTask.of("restarts", null, "_record_restarts", "option task = {name: \"_record_restarts\", every: 1m}");
        assertFalse(slack.replaces(task("_record_restarts", earlierRecord.flux())), "another kind");
    }

    private static Task task(String name, String flux) {
        return new Task("t-" + name.hashCode(), name, "0a1b2c3d4e5f6a7b", "u", "active", flux);
    }
}

package alerts;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import influx.Bucket;
import influx.InfluxApi;
import influx.Task;
import influx.TaskRun;
import plan.Plan;

/**
 * taskmaker --check: a health report of what taskmaker keeps, and of the original tool's tasks it
 * does not manage, without changing anything. Any problem makes the exit code 1.
 */
public final class HealthCheck {
    private static final Pattern URL = Pattern.compile("(https?://)[^\\s\"']+");

    private HealthCheck() {}

    /**
     * @param wanted what taskmaker would keep for these buckets
     * @param describe the report's words for a wanted task
     * @param multiappMissing what to say if multiapp_ is missing
     */
    public static Plan report(InfluxApi api, List<Task> tasks, List<Bucket> buckets, List<ManagedTask> wanted,
            Function<ManagedTask, String> describe, String multiappMissing) {
        Plan plan = new Plan();
        Optional<Bucket> multiapp = Bucket.multiappIn(buckets);
        plan.check("bucket", Bucket.MULTIAPP, multiapp.map(Bucket::id).orElse(""), multiapp.isPresent() ? "exists" : "",
                multiapp.isPresent() ? null : multiappMissing);
        Map<String, Task> byIdentity = new HashMap<>();
        Map<String, Task> byName = new HashMap<>();
        for (Task task : tasks) {
            ManagedTask.identityOf(task).ifPresent(identity -> byIdentity.putIfAbsent(identity, task));
            byName.putIfAbsent(task.name(), task);
        }
        Set<String> seen = new HashSet<>();
        for (ManagedTask task : wanted) {
            Task found = byIdentity.getOrDefault(task.identity(), byName.get(task.name()));
            if (found == null) {
                plan.check("task", task.name(), "", describe.apply(task), "missing: run taskmaker to create it");
                continue;
            }
            seen.add(found.id());
            if (!found.isActive()) {
                plan.check("task", task.name(), found.id(), describe.apply(task), "inactive: run taskmaker to activate it");
                continue;
            }
            checkRun(plan, api, found, describe.apply(task));
        }
        for (Task task : tasks) {
            if (seen.contains(task.id()) || !OriginalTool.made(task)) {
                continue;
            }
            String detail = "the original Python tool's, not managed by taskmaker (--retire-original deletes it)";
            if (!task.isActive()) {
                plan.check("task", task.name(), task.id(), detail + ", inactive", null);
                continue;
            }
            checkRun(plan, api, task, detail);
        }
        return plan;
    }

    /** A task is healthy unless its latest ended run failed; a failed post may name its webhook, so URLs are blanked. */
    private static void checkRun(Plan plan, InfluxApi api, Task task, String detail) {
        Optional<TaskRun> last = api.latestEndedRun(task.id());
        if (last.isPresent() && last.get().status().equals("failed")) {
            List<String> log = last.get().log();
            plan.check("task", task.name(), task.id(), detail, "last run failed (" + last.get().scheduledFor() + "): "
                    + (log.isEmpty() ? "(no log)" : URL.matcher(log.get(log.size() - 1)).replaceAll("$1<redacted>")));
        } else {
            plan.check("task", task.name(), task.id(), detail + ", last run "
                    + last.map(run -> run.status() + " " + run.scheduledFor()).orElse("none yet"), null);
        }
    }
}

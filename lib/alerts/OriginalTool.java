package alerts;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import influx.Bucket;
import influx.InfluxApi;
import influx.Task;
import plan.Change;
import plan.Plan;

/**
 * What the original Python tool (lsst-sqre/rubin-influx-tools) leaves in an org that taskmaker does
 * not adopt: tasks such as its CPU checks, and its buckets of webhook URLs and of sent alerts.
 */
public final class OriginalTool {
    /** Where its 2023 and later releases read the host's disks. */
    public static final String HOST_BUCKET = "monitoring";
    /** Its buckets that only its own tasks use: webhook URLs, and what it alerted. */
    static final List<String> BUCKETS = List.of("webhooks_", "alerted_");
    private static final Pattern TASK_NAME = Pattern.compile("_slack_notify_[a-z_]+|\\S.* (restarts|[a-z_]+_checks)");

    private OriginalTool() {}

    /** Whether a task not of ours looks like one the original made: its names, its buckets. */
    public static boolean made(Task task) {
        if (ManagedTask.identityOf(task).isPresent() || !TASK_NAME.matcher(task.name()).matches()) {
            return false;
        }
        String flux = task.flux();
        return flux.contains("\"multiapp_\"") || flux.contains("\"webhooks_\"") || flux.contains("\"alerted_\"")
                || flux.contains("\"restarts_\"");
    }

    /**
     * The original's tasks left over after adoption, and its own buckets: deleted with retire
     * (--retire-original), otherwise only warned about.
     */
    public static void planLeftovers(Plan plan, InfluxApi api, List<Task> tasks, Set<String> adopted, List<Bucket> buckets,
            boolean retire) {
        List<Task> leftovers = tasks.stream().filter(task -> !adopted.contains(task.id()) && made(task)).toList();
        List<Bucket> ownBuckets = buckets.stream().filter(bucket -> BUCKETS.contains(bucket.name())).toList();
        if (retire) {
            leftovers.forEach(task -> plan.add(ManagedTask.delete(api, task, "the original tool's, retired by --retire-original")));
            ownBuckets.forEach(bucket -> plan.add(Change.delete("bucket", bucket.name(), bucket.id(),
                    "the original tool's, retired by --retire-original", () -> {
                        api.deleteBucket(bucket.id());
                        return Change.Applied.id(bucket.id());
                    })));
            return;
        }
        if (!leftovers.isEmpty()) {
            plan.warn(leftovers.size() + " task(s) of the original Python tool are not managed by taskmaker ("
                    + leftovers.stream().map(task -> "\"" + task.name() + "\"").sorted().collect(Collectors.joining(", "))
                    + "): 'taskmaker --check' shows their last runs, '--retire-original' deletes them");
        }
        if (ownBuckets.stream().anyMatch(bucket -> bucket.name().equals("webhooks_"))) {
            plan.warn("the original tool's bucket webhooks_ holds webhook URLs that any token reading buckets can read;"
                    + " taskmaker keeps routes as secrets instead: '--retire-original' deletes it (and alerted_)");
        }
    }
}

package alerts;

import java.util.List;
import java.util.Optional;

import influx.InfluxApi;
import influx.Task;
import plan.Change;

/**
 * A task taskmaker keeps, identified by its kind and, for an application's tasks, its bucket. The
 * identity is written into the Flux's first line, so taskmaker recognises its own tasks from the
 * Flux it wrote, and never mistakes an operator's task of the same name for one of its own.
 */
public record ManagedTask(String kind, String bucket, String name, String flux) {
    private static final String MARKER = "// Managed by influx-tools taskmaker: ";

    /** A task of the given identity, with the marker line put in front of the rendered Flux. */
    public static ManagedTask of(String kind, String bucket, String name, String renderedFlux) {
        return new ManagedTask(kind, bucket, name, marker(kind, bucket) + "\n" + renderedFlux.strip() + "\n");
    }

    public String identity() {
        return marker(kind, bucket);
    }

    /** The identity a task's Flux declares, if taskmaker wrote it. */
    public static Optional<String> identityOf(Task task) {
        String flux = task.flux();
        int end = flux.indexOf('\n');
        String first = end < 0 ? flux : flux.substring(0, end);
        return first.startsWith(MARKER) ? Optional.of(first.strip()) : Optional.empty();
    }

    private static String marker(String kind, String bucket) {
        // Bucket names may hold anything; as a Flux literal the name stays on this one comment line.
        return MARKER + kind + (bucket == null ? "" : " for bucket " + FluxTemplates.stringLiteral(bucket));
    }

    /**
     * Whether an existing task does this one's work the way earlier versions did: one task per
     * application bucket, made by an earlier taskmaker (marked with a bucket) or by the original
     * Python tool (named "Shop restarts"); or, for the events task, the two record tasks (restarts,
     * state_checks) that earlier versions made instead of it. Such tasks are replaced by this one,
     * which watches every application bucket.
     */
    public boolean replaces(Task task) {
        if (bucket != null) {
            return false;
        }
        List<String> kinds = kind.equals(AlertTasks.RECORD_KIND) ? AlertTasks.EARLIER_RECORD_KINDS : List.of(kind);
        Optional<String> identity = identityOf(task);
        return kinds.stream().anyMatch(done -> identity.isPresent()
                ? identity.get().startsWith(marker(done, null) + " for bucket ") || !done.equals(kind) && identity.get().equals(marker(done, null))
                : OriginalTool.made(task) && task.name().endsWith(" " + done));
    }

    /** Deleting a task the org has (a duplicate, one recreated by --force, one whose bucket is gone). */
    public static Change delete(InfluxApi api, Task task, String why) {
        return Change.delete("task", task.name(), task.id(), why, () -> {
            api.deleteTask(task.id());
            return Change.Applied.id(task.id());
        });
    }
}

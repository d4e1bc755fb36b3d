import java.time.Duration;
import java.time.Instant;

/** Forces task runs and waits for them, the way the tests prove that generated Flux really works. */
public final class TaskRuns {
    private TaskRuns() {}

    public static TaskRun runToCompletion(InfluxApi api, String taskId, Duration timeout) {
        TaskRun run = api.runNow(taskId);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                TaskRun current = api.run(taskId, run.id());
                if (current.isFinished()) {
                    return current;
                }
            } catch (ApiException e) {
                // A run that just finished is briefly in neither the live list nor the run log.
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("task " + taskId + " run " + run.id() + " did not finish within " + timeout);
    }

    /** The task's latest run as the runs list shows it, once that list has caught up with a finished run. */
    public static TaskRun latestListed(InfluxApi api, String taskId, String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                java.util.Optional<TaskRun> latest = api.latestRun(taskId);
                if (latest.isPresent() && latest.get().id().equals(runId) || Instant.now().isAfter(deadline)) {
                    return latest.orElseThrow(() -> new AssertionError("task " + taskId + " lists no run"));
                }
            } catch (ApiException e) {
                // As above: briefly between the live list and the run log.
                if (!e.isNotFound() || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

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
}

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import com.eclipsesource.json.Json;
import influx.ApiException;
import influx.InfluxApi;
import influx.Task;
import influx.TaskRun;

/** Forces task runs and waits for them, the way the tests prove that generated Flux really works. */
public final class TaskRuns {
    private TaskRuns() {}

    public static TaskRun runToCompletion(InfluxApi api, String taskId, Duration timeout) {
        String runId = api.http().createOnce("/api/v2/tasks/" + taskId + "/runs", Json.object()).asObject().getString("id", "");
        return poll(() -> Optional.of(api.run(taskId, runId)).filter(TaskRuns::isFinished), timeout)
                .orElseThrow(() -> new AssertionError("task " + taskId + " run " + runId + " did not finish within " + timeout));
    }

    /** Forces a run of the task and fails, naming the task and showing the run's log, unless it succeeds. */
    public static TaskRun succeeds(InfluxApi api, Task task) {
        TaskRun run = runToCompletion(api, task.id(), Duration.ofSeconds(60));
        org.junit.jupiter.api.Assertions.assertEquals("success", run.status(), task.name() + ": " + String.join("\n", run.log()));
        return run;
    }

    /**
     * One run as the scheduler would have made it at that time: its now() is {@code scheduledFor}, so
     * it reads what was written up to then. Data written with past timestamps is then seen run by
     * run, as the tasks see it in production, where they run every minute while Telegraf writes.
     */
    public static TaskRun runAsOf(InfluxApi api, String taskId, Instant scheduledFor, Duration timeout) {
        String runId = api.http().createOnce("/api/v2/tasks/" + taskId + "/runs",
                Json.object().add("scheduledFor", scheduledFor.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                .asObject().getString("id", "");
        return poll(() -> Optional.of(api.run(taskId, runId)).filter(TaskRuns::isFinished), timeout)
                .orElseThrow(() -> new AssertionError("task " + taskId + " run " + runId + " did not finish within " + timeout));
    }

    /** The task's latest run as the runs list shows it, once that list has caught up with a finished run. */
    public static TaskRun latestListed(InfluxApi api, String taskId, String runId, Duration timeout) {
        return poll(() -> api.latestRun(taskId).filter(latest -> latest.id().equals(runId)), timeout)
                .or(() -> api.latestRun(taskId))
                .orElseThrow(() -> new AssertionError("task " + taskId + " lists no run"));
    }

    private static boolean isFinished(TaskRun run) {
        return run.status().equals("success") || run.status().equals("failed") || run.status().equals("canceled");
    }

    /** Asks until there is an answer or the time is up. */
    private static <T> Optional<T> poll(Supplier<Optional<T>> ask, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                Optional<T> answer = ask.get();
                if (answer.isPresent()) {
                    return answer;
                }
            } catch (ApiException e) {
                // A run that just finished is briefly in neither the live list nor the run log, and
                // influxd may even panic (500) reading it at that moment; asked again, it answers.
                if (!e.isNotFound() && !(e.status() == 500 && String.valueOf(e.getMessage()).contains("a panic has occurred"))) {
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
        return Optional.empty();
    }
}

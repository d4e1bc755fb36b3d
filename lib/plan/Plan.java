package plan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything a tool found and means to do, computed before any write. Changes come in sequences
 * that run in order (delete, then recreate); separate sequences run concurrently, a bounded number
 * at once. A failed change does not stop the other sequences.
 */
public final class Plan {
    private final List<List<Change>> sequences = new ArrayList<>();
    private final List<Outcome> settled = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Runnable> afterApply = new ArrayList<>();
    private final List<Change> last = new ArrayList<>();

    public void add(Change change) {
        sequences.add(List.of(change));
    }

    /** Changes that depend on each other: each runs only if the one before it succeeded. */
    public void inOrder(List<Change> changes) {
        sequences.add(List.copyOf(changes));
    }

    /** An object already as it should be. */
    public void unchanged(String kind, String name, String id, String detail) {
        settled.add(new Outcome("unchanged", kind, name, id, detail, Outcome.OK, null, null));
    }

    /**
     * A change that must wait until every other one is done, such as removing a secret that tasks
     * read until they are updated. It runs only if nothing before it failed.
     */
    public void last(Change change) {
        last.add(change);
    }

    /** A health finding of taskmaker --check: healthy, or a problem with what is wrong. */
    public void check(String kind, String name, String id, String detail, String problem) {
        settled.add(new Outcome(Outcome.CHECK, kind, name, id, detail, problem == null ? Outcome.OK : Outcome.FAILED, problem, null));
    }

    /**
     * A change this run leaves undone because its token lacks the grant, with what would change and
     * how to apply it. The run still applies everything else, and exits with ExitCode.HELD.
     */
    public void hold(String kind, String name, String detail, String howToApply) {
        settled.add(new Outcome("hold", kind, name, "", detail, Outcome.HELD, howToApply, null));
    }

    /** Clean-up that must follow the changes whether they worked or not, such as releasing a lock. */
    public void afterApply(Runnable cleanUp) {
        afterApply.add(cleanUp);
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public boolean hasChanges() {
        return !sequences.isEmpty() || !last.isEmpty();
    }

    /** The report of a dry run: every change planned, none sent. */
    public Report preview(String tool) {
        List<Outcome> outcomes = new ArrayList<>(settled);
        sequences.forEach(sequence -> sequence.forEach(change ->
                outcomes.add(Outcome.of(change, Outcome.PLANNED, change.id(), null, null))));
        last.forEach(change -> outcomes.add(Outcome.of(change, Outcome.PLANNED, change.id(), null, null)));
        return new Report(tool, true, outcomes, warnings);
    }

    public Report apply(String tool, int concurrency) {
        List<Outcome> outcomes = new ArrayList<>(settled);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, sequences.size())));
        try {
            List<Future<List<Outcome>>> running = new ArrayList<>();
            for (List<Change> sequence : sequences) {
                running.add(pool.submit(() -> run(sequence)));
            }
            for (Future<List<Outcome>> done : running) {
                outcomes.addAll(done.get());
            }
            if (outcomes.stream().anyMatch(Outcome::failed)) {
                last.forEach(change -> outcomes.add(Outcome.of(change, Outcome.FAILED, change.id(),
                        "not attempted: an earlier change failed", null)));
            } else {
                outcomes.addAll(run(last));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the plan", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("applying the plan failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
            afterApply.forEach(Runnable::run);
        }
        return new Report(tool, false, outcomes, warnings);
    }

    private static List<Outcome> run(List<Change> sequence) {
        List<Outcome> outcomes = new ArrayList<>();
        String blockedBy = null;
        for (Change change : sequence) {
            if (blockedBy != null) {
                outcomes.add(Outcome.of(change, Outcome.FAILED, change.id(), "not attempted: " + blockedBy, null));
                continue;
            }
            try {
                Change.Applied applied = change.apply().run();
                outcomes.add(applied.alreadyThere()
                        ? new Outcome("unchanged", change.kind(), change.name(), applied.id(), change.detail(), Outcome.OK, null, null)
                        : Outcome.of(change, Outcome.OK, applied.id(), null, applied.token()));
            } catch (Exception e) {
                String error = e.getMessage() == null ? e.toString() : e.getMessage();
                outcomes.add(Outcome.of(change, Outcome.FAILED, change.id(), error, null));
                blockedBy = change.action() + " " + change.kind() + " failed";
            }
        }
        return outcomes;
    }
}

package plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The plan/apply engine on its own: order within a sequence, blocking after a failure, bounded concurrency. */
class PlanTest {

    @Test
    void aSequenceRunsInOrderAndStopsAtItsFirstFailure() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Plan plan = new Plan();
        plan.inOrder(List.of(
                Change.delete("task", "old", "1", "", () -> record(ran, "delete old")),
                Change.create("task", "new", "", () -> {
                    ran.add("create new");
                    throw new IllegalStateException("HTTP 500");
                }),
                Change.create("task", "after", "", () -> record(ran, "create after"))));
        Report report = plan.apply("test", 4);

        assertEquals(List.of("delete old", "create new"), ran);
        assertEquals(List.of("ok", "failed", "failed"), report.outcomes().stream().map(Outcome::status).toList());
        assertEquals("HTTP 500", report.outcomes().get(1).error());
        assertEquals("not attempted: create task failed", report.outcomes().get(2).error());
        assertEquals(2, report.failures());
    }

    @Test
    void aFailedSequenceDoesNotStopTheOthers() {
        Plan plan = new Plan();
        plan.add(Change.create("dbrp", "a", "", () -> {
            throw new IllegalStateException("refused");
        }));
        plan.add(Change.create("dbrp", "b", "", () -> Change.Applied.id("2")));
        Report report = plan.apply("test", 1);

        assertEquals(1, report.failures());
        assertEquals(1, report.count("create"));
    }

    @Test
    void noMoreSequencesRunAtOnceThanTheConcurrency() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Plan plan = new Plan();
        for (int i = 0; i < 12; i++) {
            plan.add(Change.create("task", "t" + i, "", () -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                Thread.sleep(20);
                inFlight.decrementAndGet();
                return Change.Applied.id("x");
            }));
        }
        plan.apply("test", 3);

        assertTrue(most.get() <= 3, "at most 3 in flight, saw " + most.get());
        assertTrue(most.get() > 1, "sequences run concurrently");
    }

    @Test
    void aDryRunPlansEveryChangeAndRunsNone() {
        AtomicInteger ran = new AtomicInteger();
        Plan plan = new Plan();
        plan.inOrder(List.of(Change.delete("task", "a", "1", "", () -> record(ran)), Change.create("task", "a", "", () -> record(ran))));
        plan.unchanged("task", "b", "2", "");
        Report report = plan.preview("test");

        assertEquals(0, ran.get());
        assertTrue(report.dryRun());
        assertEquals(List.of("unchanged", "delete", "create"), report.outcomes().stream().map(Outcome::action).toList());
        assertEquals(List.of("ok", "planned", "planned"), report.outcomes().stream().map(Outcome::status).toList());
    }

    @Test
    void cleanUpRunsAfterTheChangesEvenWhenTheyFail() throws InterruptedException {
        CountDownLatch changed = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Plan plan = new Plan();
        plan.add(Change.create("task", "a", "", () -> {
            order.add("change");
            changed.countDown();
            throw new IllegalStateException("lost");
        }));
        plan.afterApply(() -> order.add("release lock"));
        plan.apply("test", 2);

        assertTrue(changed.await(1, TimeUnit.SECONDS));
        assertEquals(List.of("change", "release lock"), order);
    }

    @Test
    void aChangeThatFoundItsObjectAlreadyMadeIsUnchanged() {
        Plan plan = new Plan();
        plan.add(Change.create("dbrp", "a", "a/1w", () -> Change.Applied.existing("7")));
        assertFalse(plan.apply("test", 1).outcomes().get(0).failed());
        Plan again = new Plan();
        again.add(Change.create("dbrp", "a", "a/1w", () -> Change.Applied.existing("7")));
        assertEquals("unchanged", again.apply("test", 1).outcomes().get(0).action());
    }

    private static Change.Applied record(List<String> ran, String what) {
        ran.add(what);
        return Change.Applied.id("1");
    }

    private static Change.Applied record(AtomicInteger ran) {
        ran.incrementAndGet();
        return Change.Applied.id("1");
    }
}

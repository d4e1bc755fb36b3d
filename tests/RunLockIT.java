import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import influx.ApiException;
import influx.InfluxApi;
import influx.Label;
import influx.Org;
import org.junit.jupiter.api.Test;
import plan.RunLock;

/**
 * taskmaker's run lock is a label: what makes that a lock (one create of a name wins, on the real
 * server), and how the lock behaves towards a live holder and a dead one.
 */
class RunLockIT extends RealServerTest {
    private static final int CONTENDERS = 8;
    private static final int ROUNDS = 25;

    /** Of simultaneous creates of one label name, exactly one succeeds and the others answer 422 conflict. */
    @Test
    void exactlyOneOfSimultaneousLabelCreatesWins() throws Exception {
        Org org = server.newOrg("lock-atomic");
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String name = RunLock.labelName("round " + round);
                CyclicBarrier start = new CyclicBarrier(CONTENDERS);
                List<Future<String>> outcomes = new ArrayList<>();
                for (int contender = 0; contender < CONTENDERS; contender++) {
                    String stamp = "contender " + contender;
                    // A client each, as separate runs have; with taskmaker's own token.
                    InfluxApi as = server.api(token);
                    outcomes.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            Label made = as.createLabel(org.id(), name, Map.of("description", stamp));
                            return made.property("description").equals(stamp) ? "won" : "someone else's";
                        } catch (ApiException e) {
                            return e.isConflict() ? "conflict" : e.getMessage();
                        }
                    }));
                }
                List<String> answers = new ArrayList<>();
                for (Future<String> outcome : outcomes) {
                    answers.add(outcome.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, answers.stream().filter("won"::equals).count(), "round " + round + ": " + answers);
                assertEquals(CONTENDERS - 1, answers.stream().filter("conflict"::equals).count(), "round " + round + ": " + answers);
                assertEquals(1, api.label(org.id(), name).stream().count());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeadRunsLockIsTakenOver() {
        Org org = server.newOrg("lock-dead");
        api.createBucket(org.id(), "shop", 86_400, "");
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        long tenMinutesAgo = Instant.now().minusSeconds(600).toEpochMilli();
        api.createLabel(org.id(), RunLock.labelName("taskmaker"),
                Map.of("description", "influx-tools lock held by 1@dead-pod 0 renewed " + tenMinutesAgo));

        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--lock-timeout", "3", "--lock-wait", "20");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(4, api.tasks(org.id()).size());
        assertTrue(api.label(org.id(), RunLock.labelName("taskmaker")).isEmpty(), "the lock is released");
    }

    @Test
    void aLiveLockIsWaitedForThenGivenUpOnWithoutAChange() {
        Org org = server.newOrg("lock-live");
        api.createBucket(org.id(), "shop", 86_400, "");
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        Label held = api.createLabel(org.id(), RunLock.labelName("taskmaker"),
                Map.of("description", "influx-tools lock held by 1@live-pod 0 renewed " + Instant.now().toEpochMilli()));

        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, token), "--lock-timeout", "60", "--lock-wait", "2");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("another run holds the lock, a label named \"influx-tools taskmaker run lock\"")
                && run.err().contains("nothing was changed"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(api.tasks(org.id()).isEmpty());
        assertEquals(held.id(), api.label(org.id(), RunLock.labelName("taskmaker")).orElseThrow().id(), "a live lock is left alone");
    }
}

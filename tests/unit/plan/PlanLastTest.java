package plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Plan.last: what must wait for every other change (a secret old tasks still read) runs after them, and only after success. */
class PlanLastTest {

    private static Change change(List<String> ran, String name, boolean fails) {
        return Change.create("secret", name, "", () -> {
            Thread.sleep(10);
            ran.add(name);
            if (fails) {
                throw new IllegalStateException("refused");
            }
            return Change.Applied.id(name);
        });
    }

    @Test
    void lastChangesRunAfterEveryOther() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Plan plan = new Plan();
        plan.last(change(ran, "remove old", false));
        for (int i = 0; i < 6; i++) {
            plan.add(change(ran, "update " + i, false));
        }
        Report report = plan.apply("test", 4);
        assertEquals(0, report.failures());
        assertEquals("remove old", ran.get(ran.size() - 1));
        assertEquals(7, ran.size());
    }

    @Test
    void lastChangesAreNotAttemptedAfterAFailure() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Plan plan = new Plan();
        plan.add(change(ran, "update", true));
        plan.last(change(ran, "remove old", false));
        Report report = plan.apply("test", 4);
        assertEquals(List.of("update"), ran);
        assertEquals("not attempted: an earlier change failed", report.outcomes().get(1).error());
        assertEquals(2, report.failures());
    }

    @Test
    void aDryRunListsThemAsPlanned() {
        Plan plan = new Plan();
        plan.last(change(new ArrayList<>(), "remove old", false));
        assertEquals(List.of("planned"), plan.preview("test").outcomes().stream().map(Outcome::status).toList());
    }
}

package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import cli.UsageException;
import influx.Bucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** --pending-grace and --restart-period: whole seconds, and where they land in the Flux. */
class AlertOptionsTest {

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({"1s, 1", "90s, 90", "5m, 300", "1h30m, 5400", "2d, 172800", "1w, 604800"})
    void readsDurationsOfWholeSeconds(String duration, long seconds) {
        assertEquals(seconds, AlertTasks.seconds("--pending-grace", duration));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "500ms", "1m30", "m5", "-5m", "99999999999999999999w"})
    void refusesAnythingElse(String duration) {
        UsageException refused = assertThrows(UsageException.class, () -> AlertTasks.seconds("--pending-grace", duration));
        assertTrue(refused.getMessage().startsWith("--pending-grace '" + duration + "'"), refused.getMessage());
    }

    @Test
    void theRestartPeriodFitsTheHourMultiappKeeps() {
        assertThrows(UsageException.class, () -> design("5m", "46m"));
        assertEquals(3, design("5m", "45m").alertTasks().size());
    }

    @Test
    void theGraceSetsWhereAPendingPodIsLookedFor() {
        List<ManagedTask> tasks = design("1h", "30m").applicationTasks(List.of(new Bucket("0a", "shop", "0b", 0, "")));
        String stateChecks = tasks.get(0).flux();
        assertTrue(stateChecks.contains("range(start: -1h5m, stop: -1h)") && stateChecks.contains("grace = 1h"), stateChecks);
        String restarts = design("5m", "20s").alertTasks().get(0).flux();
        assertTrue(restarts.contains("period = 20s"), restarts);
    }

    private static AlertTasks design(String grace, String period) {
        return new AlertTasks(FluxTemplates.bundled(), "1m", "1m", "30s", "slack_notify_url", "", "roundtable_internal_",
                85, 95, WebhookRoutes.NONE, "0a1b2c3d4e5f6a7b", grace, period);
    }
}

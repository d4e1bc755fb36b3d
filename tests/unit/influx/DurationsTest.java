package influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({
        "0, infinite", "1, 1s", "10, 10s", "100, 1m40s", "1000, 16m40s", "10000, 2h46m40s",
        "100000, 1d3h46m40s", "1000000, 1w4d13h46m40s", "10000000, 16w3d17h46m40s", "3600, 1h", "604800, 1w",
        // odd values: every unit, a lone unit below a minute, a week and a second, 30 days
        "90061, 1d1h1m1s", "59, 59s", "604801, 1w1s", "2592000, 4w2d", "86400, 1d", "3601, 1h1s"})
    void formatsRetentionAsDurationLiteral(long seconds, String literal) {
        assertEquals(literal, Durations.literal(seconds));
    }

    @Test
    void rejectsNegativeDurations() {
        assertThrows(IllegalArgumentException.class, () -> Durations.literal(-1));
    }
}

package influx;

/** Formats a retention period as a Flux duration literal, the retention-policy names of our DBRPs. */
public final class Durations {
    private static final long[] UNIT_SECONDS = {604_800, 86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"w", "d", "h", "m", "s"};

    private Durations() {}

    /** Largest unit first, zero units left out; 0 (the API's "never expire") is {@code infinite}. */
    public static String literal(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative duration: " + seconds);
        }
        if (seconds == 0) {
            return "infinite";
        }
        StringBuilder literal = new StringBuilder();
        long rest = seconds;
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            long count = rest / UNIT_SECONDS[i];
            if (count > 0) {
                literal.append(count).append(UNIT_NAMES[i]);
                rest -= count * UNIT_SECONDS[i];
            }
        }
        return literal.toString();
    }
}

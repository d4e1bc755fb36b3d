import java.util.List;

import influx.Org;

/** What the tasks recorded in multiapp_, counted with the real server's own queries. */
public final class Recorded {
    private Recorded() {}

    /** The alerts the record tasks raised: one per container with restarts, one per container in a bad state. */
    public static int events(Admin admin, Org org) {
        return events(admin, org, java.time.Duration.ofHours(1));
    }

    /** The same, over a longer past. */
    public static int events(Admin admin, Org org, java.time.Duration past) {
        return rows(admin.query(org.id(), "from(bucket: \"multiapp_\") |> range(start: -" + past.toSeconds() + "s)"
                + " |> filter(fn: (r) => r._measurement == \"restarts\" or r._measurement == \"state_checks\")"
                + " |> filter(fn: (r) => r._field == \"count\" or r._field == \"message\")"
                + " |> keep(columns: [\"_measurement\", \"cluster\", \"namespace\", \"pod\", \"container\"])"
                + " |> group(columns: [\"_measurement\", \"cluster\", \"namespace\", \"pod\", \"container\"]) |> limit(n: 1) |> group()"));
    }

    /** The alerts recorded as posted (slack_sent), including any a forced run stamped after now. */
    public static int sent(Admin admin, Org org) {
        return rows(admin.query(org.id(), "from(bucket: \"multiapp_\") |> range(start: -1h, stop: 1h)"
                + " |> filter(fn: (r) => r._measurement == \"slack_sent\") |> group() |> keep(columns: [\"alert\"])"));
    }

    /** The disk messages among these texts: the host bucket's alerts, which no record task raises. */
    public static long disks(List<String> texts) {
        return texts.stream().filter(text -> text.startsWith("Disk ")).count();
    }

    /** Data rows of an annotated-CSV query answer. */
    private static int rows(String csv) {
        return (int) csv.lines().filter(line -> line.startsWith(",_result,")).count();
    }
}

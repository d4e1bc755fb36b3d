package tokens;

import influx.Bucket;
import influx.InfluxApi;

/**
 * The bucket multiapp_, where taskmaker's tasks record alert events across applications. Creating a
 * bucket needs write on buckets, which in InfluxDB also deletes buckets and writes points, so
 * taskmaker's token does not hold it: tokenmaker, run by the operator, makes the bucket once.
 */
public final class Multiapp {
    /** The same name as alerts.AlertTasks.MULTIAPP (tokenmaker does not compile alerts; MultiappIT checks both). */
    public static final String NAME = "multiapp_";
    static final long RETENTION_SECONDS = 3600;
    static final String DESCRIPTION = "influx-tools: alert events across applications";

    private Multiapp() {
    }

    public static Bucket create(InfluxApi api, String orgId) {
        return api.createBucket(orgId, NAME, RETENTION_SECONDS, DESCRIPTION);
    }
}

package tokens;

import influx.Bucket;
import influx.InfluxApi;

/**
 * The bucket multiapp_, where taskmaker's tasks record alert events across applications. Creating a
 * bucket needs write on buckets, which in InfluxDB also deletes buckets and writes points, so
 * taskmaker's token does not hold it: tokenmaker, run by the operator, makes the bucket once.
 */
public final class Multiapp {
    /** How long an alert waits there for Slack to take it: an outage of Slack up to this long loses none. */
    static final long RETENTION_SECONDS = 6 * 3600;
    static final String DESCRIPTION = "influx-tools: alert events across applications";

    private Multiapp() {
    }

    public static Bucket create(InfluxApi api, String orgId) {
        return api.createBucket(orgId, Bucket.MULTIAPP, RETENTION_SECONDS, DESCRIPTION);
    }
}

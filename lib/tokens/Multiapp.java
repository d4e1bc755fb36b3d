package tokens;

import influx.Bucket;
import influx.InfluxApi;

/**
 * The bucket multiapp_, where taskmaker's tasks record alert events across applications. Creating a
 * bucket needs write on buckets, which in InfluxDB also deletes buckets and writes points, so
 * taskmaker's token does not hold it: tokenmaker, run by the operator, makes the bucket once.
 */
public final class Multiapp {
    static final long RETENTION_SECONDS = 3600;
    static final String DESCRIPTION = "influx-tools: alert events across applications";

    private Multiapp() {
    }

    public static Bucket create(InfluxApi api, String orgId) {
        return api.createBucket(orgId, Bucket.MULTIAPP, RETENTION_SECONDS, DESCRIPTION);
    }
}

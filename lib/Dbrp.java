import com.eclipsesource.json.JsonObject;

/**
 * A database/retention-policy mapping. Since InfluxDB 2.4 the server also lists a read-only
 * "virtual" mapping per bucket; those are not mappings anyone made, and cannot be changed.
 */
public record Dbrp(String id, String database, String retentionPolicy, boolean isDefault, String bucketId,
        boolean virtual) {

    static Dbrp from(JsonObject json) {
        return new Dbrp(json.getString("id", ""), json.getString("database", ""),
                json.getString("retention_policy", ""), json.getBoolean("default", false),
                json.getString("bucketID", ""), json.getBoolean("virtual", false));
    }
}

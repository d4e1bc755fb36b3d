package influx;

import java.util.List;
import java.util.Optional;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/** A bucket as the buckets API describes it; retention 0 means the data never expires. */
public record Bucket(String id, String name, String orgId, long retentionSeconds, String description) {
    /**
     * The bucket that spans applications: taskmaker's tasks record alert events there and its Slack
     * tasks remember what they sent; tokenmaker creates it, since taskmaker's token may not.
     */
    public static final String MULTIAPP = "multiapp_";

    static Bucket from(JsonObject json) {
        long retention = 0;
        JsonValue rules = json.get("retentionRules");
        if (rules != null && rules.isArray()) {
            for (JsonValue rule : rules.asArray()) {
                // An empty rule list, or an "expire" rule of 0 seconds, both mean infinite.
                if ("expire".equals(rule.asObject().getString("type", "expire"))) {
                    retention = rule.asObject().getLong("everySeconds", 0);
                }
            }
        }
        return new Bucket(json.getString("id", ""), json.getString("name", ""), json.getString("orgID", ""),
                retention, json.getString("description", ""));
    }

    /** multiapp_ among these buckets, if it is there. */
    public static Optional<Bucket> multiappIn(List<Bucket> buckets) {
        return buckets.stream().filter(bucket -> bucket.name().equals(MULTIAPP)).findFirst();
    }

    /** The naming convention: a Kubernetes application's bucket neither starts nor ends with '_'. */
    public boolean isApplication() {
        return !name.isEmpty() && !name.startsWith("_") && !name.endsWith("_");
    }
}

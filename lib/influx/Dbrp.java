package influx;

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

    /**
     * The longest database name the server can index: its store's 32768-byte key limit, less the
     * org ID and the mapping ID (16 bytes each) and a separator. Bucket names may be 17 bytes longer.
     */
    public static final int MAX_DATABASE_BYTES = 32_735;

    /**
     * Whether the server accepts this as a database name: printable, not "." or "..", without
     * '/' or '\', and short enough (the same rules as InfluxDB's own, so we can skip instead of fail).
     */
    public static boolean isValidDatabaseName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DATABASE_BYTES) {
            return false;
        }
        return name.codePoints().allMatch(c -> c == ' ' || isPrintable(c));
    }

    private static boolean isPrintable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}

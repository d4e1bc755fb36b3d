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
     * Whether the server accepts this as a database name: printable, not "." or "..", and without
     * '/' or '\' (the same rule as InfluxDB's own validation, so we can skip instead of fail).
     */
    public static boolean isValidDatabaseName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
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

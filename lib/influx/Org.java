package influx;

import java.util.regex.Pattern;

/** An organisation: its ID, which the API wants, and its name, which operators know. */
public record Org(String id, String name) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

    /** Whether text has the form of an InfluxDB ID (of an org, user, bucket...): 16 hex digits. */
    public static boolean isId(String text) {
        return ID.matcher(text).matches();
    }
}

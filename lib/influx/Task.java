package influx;

import com.eclipsesource.json.JsonObject;

/** A Flux task; "active" or "inactive" status, and the Flux source it runs. */
public record Task(String id, String name, String orgId, String ownerId, String status, String flux) {

    static Task from(JsonObject json) {
        return new Task(json.getString("id", ""), json.getString("name", ""), json.getString("orgID", ""),
                json.getString("ownerID", ""), json.getString("status", ""), json.getString("flux", ""));
    }

    public boolean isActive() {
        return "active".equals(status);
    }
}

package influx;

import java.util.List;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/** An API token's metadata. The token string itself is never kept here. */
public record Authorization(String id, String description, String status, String orgId, String userId,
        List<Permission> permissions) {

    static Authorization from(JsonObject json) {
        List<Permission> permissions = json.get("permissions") == null ? List.of()
                : json.get("permissions").asArray().values().stream()
                        .map(JsonValue::asObject)
                        .map(Permission::from)
                        .toList();
        return new Authorization(json.getString("id", ""), json.getString("description", ""),
                json.getString("status", ""), json.getString("orgID", ""), json.getString("userID", ""),
                permissions);
    }

    public boolean isActive() {
        return "active".equals(status);
    }
}

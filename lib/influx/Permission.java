package influx;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

/**
 * One grant of an authorization: read or write on a resource type, scoped to one org (orgId) or
 * to one object (id). A null orgId and id would make it global, which only an operator can grant.
 */
public record Permission(String action, String type, String orgId, String id) {

    public static Permission orgScoped(String action, String type, String orgId) {
        return new Permission(action, type, orgId, null);
    }

    static Permission from(JsonObject json) {
        JsonObject resource = json.get("resource").asObject();
        return new Permission(json.getString("action", ""), resource.getString("type", ""),
                resource.getString("orgID", null), resource.getString("id", null));
    }

    public JsonObject toJson() {
        JsonObject resource = Json.object().add("type", type);
        if (orgId != null) {
            resource.add("orgID", orgId);
        }
        if (id != null) {
            resource.add("id", id);
        }
        return Json.object().add("action", action).add("resource", resource);
    }

    @Override
    public String toString() {
        return action + ":" + type + (id != null ? "/" + id : "");
    }
}

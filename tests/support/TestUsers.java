import java.util.UUID;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;

/** Users with a given role in an org, made through the API by the operator. */
public final class TestUsers {
    private TestUsers() {}

    /** A token of a new user who is only a member of the org, with read and write on its buckets and tasks. */
    public static String memberToken(InfluxApi operator, Org org) {
        String userId = operator.http().create("/api/v2/users",
                Json.object().add("name", "member-" + UUID.randomUUID().toString().substring(0, 8)), java.util.Optional::empty)
                .asObject().getString("id", "");
        operator.http().create("/api/v2/orgs/" + org.id() + "/members", Json.object().add("id", userId), java.util.Optional::empty);
        JsonArray permissions = Json.array();
        for (String type : new String[] {"buckets", "tasks", "secrets", "users"}) {
            for (String action : new String[] {"read", "write"}) {
                permissions.add(Json.object().add("action", action)
                        .add("resource", Json.object().add("type", type).add("orgID", org.id())));
            }
        }
        // The org and the user themselves are named by ID, not scoped by orgID.
        permissions.add(Json.object().add("action", "read").add("resource", Json.object().add("type", "users").add("id", userId)));
        permissions.add(Json.object().add("action", "read").add("resource", Json.object().add("type", "orgs").add("id", org.id())));
        return operator.http().createOnce("/api/v2/authorizations", Json.object().add("orgID", org.id())
                .add("userID", userId).add("description", "member token").add("permissions", permissions))
                .asObject().getString("token", "");
    }
}

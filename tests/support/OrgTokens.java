import java.util.ArrayList;
import java.util.List;

import com.eclipsesource.json.Json;
import influx.InfluxApi;
import influx.Org;
import influx.Permission;
import tokens.TokenPurpose;

/** Users and tokens made the way an operator makes them through the API, for tests that need other than the operator's. */
public final class OrgTokens {
    /** Every resource type an org can hold, as the UI's all-access token lists them ("instance" is server-wide). */
    static final List<String> ORG_RESOURCE_TYPES = List.of("authorizations", "buckets", "dashboards", "sources", "tasks",
            "telegrafs", "variables", "scrapers", "secrets", "labels", "views", "documents", "notificationRules",
            "notificationEndpoints", "checks", "dbrp", "notebooks", "annotations", "remotes", "replications");

    private OrgTokens() {}

    /**
     * An org all-access token of the given user, as the UI's "All Access API Token" grants it:
     * read and write on every resource of the org, on the org itself, and on the user itself.
     */
    public static String allAccess(InfluxApi operator, Org org, String userId) {
        List<Permission> grants = new ArrayList<>();
        for (String action : List.of("read", "write")) {
            ORG_RESOURCE_TYPES.forEach(type -> grants.add(Permission.orgScoped(action, type, org.id())));
            grants.add(new Permission(action, "orgs", null, org.id()));
            grants.add(new Permission(action, "users", org.id(), userId));
        }
        return operator.createAuthorization(org.id(), userId, "test all-access", grants).token();
    }

    /** A new user who is a member (not an owner) of the org; answers the user's ID. */
    public static String newMember(InfluxApi operator, Org org, String name) {
        String userId = operator.http().create("/api/v2/users", Json.object().add("name", name), java.util.Optional::empty)
                .asObject().getString("id", "");
        operator.http().createOnce("/api/v2/orgs/" + org.id() + "/members", Json.object().add("id", userId));
        return userId;
    }

    /** A token of a new user who is only a member of the org, yet holds every grant taskmaker's calls need. */
    public static String memberToken(InfluxApi operator, Org org) {
        String userId = newMember(operator, org, "member-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        return operator.createAuthorization(org.id(), userId, "member token",
                TokenPurpose.TASKMAKER.permissions(org.id(), userId)).token();
    }
}

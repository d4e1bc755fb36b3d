package tokens;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import influx.Permission;

/**
 * What a token made by tokenmaker is for, and the least it must be allowed for that. Each set was
 * found against InfluxDB 2.9 by dropping one grant at a time: without any of them, the tool (or,
 * for Telegraf, a write) no longer does its job (tests/TokenmakerIT proves it for every purpose).
 * Every grant is scoped to the org, so an org all-access token can hand it out. What each token can
 * do if it leaks is in the README (Tokens), proven by tests/LeakedTokenIT.
 */
public enum TokenPurpose {
    /**
     * taskmaker's own REST calls: org lookup, /me and /owners, the bucket listing, tasks and runs,
     * secret keys, and its run lock, a label. No write on buckets: in InfluxDB that grant also
     * deletes buckets and writes points, so multiapp_ is made by tokenmaker instead.
     */
    TASKMAKER,
    /**
     * bucketmapper's calls. The DBRP API checks bucket grants, not "dbrp" ones: listing mappings
     * needs read on buckets, and creating one needs write on its bucket.
     */
    BUCKETMAPPER,
    /** Telegraf's influxdb_v2 output only writes points. */
    TELEGRAF;

    /** The name operators type after --for, and the name of the token in reports. */
    public String toolName() {
        return name().toLowerCase();
    }

    /** How tokenmaker recognises its own token for this purpose among all of the org's. */
    public String description() {
        return "influx-tools " + toolName() + " token (tokenmaker)";
    }

    /** A task runs with its owner's org role, so a token that creates tasks must belong to an org owner. */
    public boolean createsTasks() {
        return this == TASKMAKER;
    }

    public List<Permission> permissions(String orgId, String userId) {
        // The org itself is granted by id: an "orgs" grant with orgID would not cover GET /orgs/{id}.
        Permission readOrg = new Permission("read", "orgs", null, orgId);
        return switch (this) {
            case TASKMAKER -> List.of(
                    readOrg,
                    // GET /api/v2/me checks read on the user by id; orgID keeps the grant inside the org.
                    new Permission("read", "users", orgId, userId),
                    Permission.orgScoped("read", "buckets", orgId),
                    Permission.orgScoped("read", "tasks", orgId),
                    Permission.orgScoped("write", "tasks", orgId),
                    Permission.orgScoped("read", "secrets", orgId),
                    // The run lock: creating it needs write; finding a dead run's lock to take over needs read.
                    Permission.orgScoped("read", "labels", orgId),
                    Permission.orgScoped("write", "labels", orgId));
            case BUCKETMAPPER -> List.of(
                    readOrg,
                    Permission.orgScoped("read", "buckets", orgId),
                    Permission.orgScoped("write", "buckets", orgId));
            case TELEGRAF -> List.of(Permission.orgScoped("write", "buckets", orgId));
        };
    }

    public static Optional<TokenPurpose> named(String toolName) {
        return Arrays.stream(values()).filter(purpose -> purpose.toolName().equals(toolName)).findFirst();
    }

    /** "taskmaker, bucketmapper, telegraf", for help and error messages. */
    public static String choices() {
        return Arrays.stream(values()).map(TokenPurpose::toolName).collect(Collectors.joining(", "));
    }
}

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import influx.ApiException;
import influx.Org;
import influx.Permission;
import org.junit.jupiter.api.Test;

/** A token missing a permission is told apart from a rejected one, and no token is ever printed. */
class SecretsAndPermissionsIT extends RealServerTest {

    private static String tokenWith(Org org, String... grants) {
        List<Permission> permissions = new ArrayList<>();
        for (String grant : grants) {
            String[] actionAndType = grant.split(":");
            permissions.add(Permission.orgScoped(actionAndType[0], actionAndType[1], org.id()));
        }
        if (List.of(grants).contains("read:orgs")) {
            // Org permissions are granted on the org itself, not on what the org owns.
            permissions.removeIf(permission -> permission.type().equals("orgs"));
            permissions.add(new Permission("read", "orgs", null, org.id()));
        }
        return api.createAuthorization(org.id(), null, "limited test token", permissions).token();
    }

    /**
     * InfluxDB answers 401 here too, but names the permission: it must not read as a rejected
     * token. Without write on buckets even the run lock cannot be taken, so the run stops there.
     */
    @Test
    void aMissingWritePermissionIsNamed() {
        Org org = server.newOrg("perm-write");
        String token = tokenWith(org, "read:orgs", "read:buckets", "read:dbrp");
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org, token));
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().filter(line -> line.matches(
                "bucketmapper: cannot take the run lock .*HTTP 401: write:orgs/" + org.id()
                        + "/buckets is unauthorized \\(the token lacks this permission\\); nothing was changed"))
                .count(), run.err());
        assertFalse(run.err().contains("rejected"), run.err());
        assertTrue(OrgState.of(api, org).physicalMappingsPerDatabase().isEmpty());
    }

    @Test
    void aTasksApiBadRequestUnauthorizedNamesThePermission() {
        ApiException tasks = new ApiException("POST", "/api/v2/tasks", 400, "unauthorized", "permission denied");
        assertTrue(tasks.getMessage().contains("lacks the write:tasks permission"), tasks.getMessage());
        ApiException secrets = new ApiException("PATCH", "/api/v2/orgs/0123456789abcdef/secrets", 403, "forbidden", "");
        assertTrue(secrets.getMessage().contains("lacks the write:secrets permission"), secrets.getMessage());
    }

    /** Successful and failing runs, with --debug and --json, and nowhere the token. */
    @Test
    void theTokenNeverAppearsInAnyOutput() {
        Org org = server.newOrg("secret");
        api.createBucket(org.id(), "app", 3600, "");
        String token = tokenWith(org, "read:orgs", "read:buckets", "write:buckets", "read:dbrp", "write:dbrp");
        Map<String, String> env = server.env(org, token);
        List<ToolResult> runs = new ArrayList<>();
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug"));
        assertTrue(runs.get(0).err().contains("debug: > POST /api/v2/dbrps"), "the debug trace is there: " + runs.get(0));
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--json", "--force"));
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--dry-run"));
        try (FaultProxy proxy = FaultProxy.always(server.url(), FaultProxy.Fault.UNAVAILABLE)) {
            runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--json", "--url", proxy.url()));
        }
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--url", "http://127.0.0.1:" + InfluxServer.freePort()));
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--url", server.url().replace("http:", "https:")));
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--org", "no-such-org"));
        runs.add(ToolResult.run(bucketmapper::new, env, "--debug", "--timeout", "0"));
        // picocli quotes arguments it cannot place, and here that is the token; after "--" it is an
        // argument even when it starts with '-', as an InfluxDB token may (else "Unknown option").
        runs.add(ToolResult.run(bucketmapper::new, env, "--json", "--token", token, "--", token));
        runs.add(ToolResult.run(bucketmapper::new, env, "--token=" + token, "--timeout", token));
        assertTrue(runs.get(runs.size() - 2).err().contains("Unmatched argument"), runs.get(runs.size() - 2).toString());
        for (ToolResult run : runs) {
            assertFalse(run.out().contains(token) || run.err().contains(token), "the token leaked:\n" + run);
        }
    }

    @Test
    void aTimeoutIsReportedWithTheTimeoutGiven() {
        Org org = server.newOrg("slow");
        try (FaultProxy proxy = FaultProxy.always(server.url(), FaultProxy.Fault.SLOW, Duration.ofMillis(1_500))) {
            ToolResult run = ToolResult.run(bucketmapper::new, server.env(org), "--url", proxy.url(), "--timeout", "1");
            assertEquals(3, run.exitCode(), run.toString());
            assertTrue(run.err().contains("no answer within 1 s"), run.err());
        }
    }
}

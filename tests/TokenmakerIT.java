import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.eclipsesource.json.JsonObject;
import influx.ApiException;
import influx.Authorization;
import influx.Bucket;
import influx.InfluxApi;
import influx.Org;
import influx.Permission;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokens.TokenPurpose;

/** tokenmaker against a real server: the tokens it makes are used for real, not only inspected. */
class TokenmakerIT extends RealServerTest {
    static InfluxApi operator;
    static String adminId;

    @BeforeAll
    static void operator() {
        operator = api;
        adminId = operator.me().getString("id", "");
    }

    private static ToolResult tokenmaker(Org org, String token, String... args) {
        return ToolResult.run(tokenmaker::new, server.env(org, token), args);
    }

    private static List<Authorization> tokensFor(Org org, TokenPurpose purpose) {
        return operator.authorizations(org.id()).stream()
                .filter(authorization -> authorization.description().equals(purpose.description())).toList();
    }

    private static Authorization onlyActive(Org org, TokenPurpose purpose) {
        List<Authorization> active = tokensFor(org, purpose).stream().filter(Authorization::isActive).toList();
        assertEquals(1, active.size(), active.toString());
        return active.get(0);
    }

    private static void assertOrgScoped(Org org, Authorization authorization) {
        assertFalse(authorization.permissions().isEmpty());
        for (Permission permission : authorization.permissions()) {
            assertTrue(org.id().equals(permission.orgId()) || org.id().equals(permission.id()),
                    "not scoped to the org: " + permission);
        }
    }

    /** An org with one bucket holding one point, written early enough for a forced run to see it. */
    private static Org orgWithData(String prefix) {
        Org org = server.newOrg(prefix);
        operator.createBucket(org.id(), "app", 3600, "");
        admin.write(org.id(), "app", "cpu,host=a usage=42.5 " + (Instant.now().getEpochSecond() - 10));
        return org;
    }

    /**
     * Every REST call taskmaker makes, made with the token; throws if any is refused or, where the
     * server filters instead of refusing, if what should be visible is not.
     */
    private static void makeTaskmakersCalls(InfluxApi as, Org org) {
        assertEquals(org.id(), as.orgByName(org.name()).orElseThrow().id());
        assertEquals(org.name(), as.orgById(org.id()).orElseThrow().name());
        String me = as.me().getString("id", "");
        assertTrue(as.isOwner(org.id(), me), "the token's user owns the org");
        assertTrue(as.buckets(org.id()).stream().anyMatch(bucket -> bucket.name().equals("app")), "buckets are visible");
        assertTrue(as.bucket(org.id(), "app").isPresent());
        Bucket lock = as.createBucket(org.id(), "lock_" + UUID.randomUUID().toString().substring(0, 4), 3600, "");
        as.deleteBucket(lock.id());
        Task task = as.createTask(org.id(), "option task = {name: \"probe\", every: 1h}\n"
                + "from(bucket: \"app\") |> range(start: -1m) |> yield()\n", "probe");
        assertTrue(as.tasks(org.id()).stream().anyMatch(listed -> listed.id().equals(task.id())), "tasks are visible");
        as.updateTask(task.id(), task.flux());
        as.latestRun(task.id());
        as.deleteTask(task.id());
        as.secretKeys(org.id());
    }

    /** A task made with the token, writing with to(), runs as the token's user and must succeed. */
    private static void taskWritesWithTheToken(InfluxApi as, Org org) {
        Task task = as.createTask(org.id(), """
                option task = {name: "copy", every: 1h}
                from(bucket: "app") |> range(start: -5m) |> set(key: "_measurement", value: "copied") |> to(bucket: "app")
                """, "copy");
        TaskRun run = TaskRuns.runToCompletion(as, task.id(), Duration.ofSeconds(60));
        assertEquals("success", run.status(), String.join("\n", run.log()));
        assertEquals(run.id(), TaskRuns.latestListed(as, task.id(), run.id(), Duration.ofSeconds(10)).id());
        assertTrue(as.http().get("/api/v2/tasks/" + task.id() + "/runs/" + run.id() + "/logs").asObject()
                .get("events").asArray().size() > 0);
        String copied = admin.query(org.id(),
                "from(bucket: \"app\") |> range(start: -5m) |> filter(fn: (r) => r._measurement == \"copied\")");
        assertTrue(copied.contains("42.5"), copied);
    }

    private void createsASufficientOrgScopedTaskmakerToken(String creatorToken, Org org) {
        ToolResult run = tokenmaker(org, creatorToken, "--json");
        assertEquals(0, run.exitCode(), run.toString());
        String token = run.createdToken();
        Authorization made = onlyActive(org, TokenPurpose.TASKMAKER);
        assertOrgScoped(org, made);
        assertEquals(adminId, made.userId());
        assertEquals(new HashSet<>(TokenPurpose.TASKMAKER.permissions(org.id(), adminId)), new HashSet<>(made.permissions()));
        makeTaskmakersCalls(server.api(token), org);
        taskWritesWithTheToken(server.api(token), org);
    }

    @Test
    void operatorTokenMakesASufficientOrgScopedTaskmakerToken() {
        Org org = orgWithData("tm-operator");
        createsASufficientOrgScopedTaskmakerToken(server.operatorToken(), org);
    }

    @Test
    void orgAllAccessTokenIsEnough() {
        Org org = orgWithData("tm-allaccess");
        createsASufficientOrgScopedTaskmakerToken(OrgTokens.allAccess(operator, org, adminId), org);
    }

    @Test
    void everyTaskmakerGrantIsNeeded() {
        Org org = orgWithData("tm-minimal");
        List<Permission> all = TokenPurpose.TASKMAKER.permissions(org.id(), adminId);
        for (Permission dropped : all) {
            List<Permission> fewer = new ArrayList<>(all);
            fewer.remove(dropped);
            String token = operator.createAuthorization(org.id(), adminId, "without " + dropped, fewer).token();
            assertThrows(Throwable.class, () -> makeTaskmakersCalls(server.api(token), org),
                    "taskmaker's calls succeed without " + dropped);
        }
    }

    @Test
    void taskmakerTokenIsNarrow() {
        Org org = orgWithData("tm-narrow");
        Org other = server.newOrg("tm-other");
        operator.createBucket(other.id(), "theirs", 3600, "");
        Admin asAdmin = server.admin(tokenmaker(org, server.operatorToken(), "--json").createdToken());
        InfluxApi as = asAdmin.api();

        ApiException mint = assertThrows(ApiException.class, () -> as.createAuthorization(org.id(), null, "escalate",
                List.of(Permission.orgScoped("read", "buckets", org.id()))));
        assertTrue(mint.isAuthFailure(), mint.getMessage());
        ApiException dropOrg = assertThrows(ApiException.class, () -> as.http().delete("/api/v2/orgs/" + org.id()));
        assertTrue(dropOrg.isAuthFailure(), dropOrg.getMessage());
        ApiException secret = assertThrows(ApiException.class, () -> asAdmin.putSecrets(org.id(), Map.of("SLACK", "x")));
        assertTrue(secret.isAuthFailure(), secret.getMessage());
        // The buckets API filters what a token may not read rather than refusing the request.
        assertTrue(as.buckets(other.id()).isEmpty());
        assertTrue(as.bucket(other.id(), "theirs").isEmpty());
        assertTrue(operator.bucket(other.id(), "theirs").isPresent());
        assertTrue(operator.orgById(org.id()).isPresent());
    }

    @Test
    void rerunChangesNothingAndRotateLeavesOneActiveToken() {
        Org org = server.newOrg("tm-rotate");
        String first = tokenmaker(org, server.operatorToken(), "--json").createdToken();
        Authorization original = onlyActive(org, TokenPurpose.TASKMAKER);

        ToolResult again = tokenmaker(org, server.operatorToken(), "--json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, again.json().get("summary").asObject().getInt("unchanged", -1));
        assertEquals(0, again.json().get("summary").asObject().getInt("created", -1));
        assertEquals(null, again.json().get("actions").asArray().get(0).asObject().get("token"), "an old token cannot be shown");
        assertEquals(List.of(original), tokensFor(org, TokenPurpose.TASKMAKER));

        ToolResult rotated = tokenmaker(org, server.operatorToken(), "--rotate", "--json");
        assertEquals(0, rotated.exitCode(), rotated.toString());
        String second = rotated.createdToken();
        Authorization replacement = onlyActive(org, TokenPurpose.TASKMAKER);
        assertNotEquals(original.id(), replacement.id());
        assertEquals(2, tokensFor(org, TokenPurpose.TASKMAKER).size(), "the old token is kept, inactive");
        ApiException old = assertThrows(ApiException.class, () -> server.api(first).me());
        assertEquals(401, old.status());
        assertEquals(adminId, server.api(second).me().getString("id", ""));
    }

    @Test
    void aTokenOfThePurposeWithOtherPermissionsIsReplaced() {
        Org org = server.newOrg("tm-outdated");
        Authorization outdated = operator.createAuthorization(org.id(), adminId, TokenPurpose.TASKMAKER.description(),
                List.of(Permission.orgScoped("read", "buckets", org.id()))).authorization();
        ToolResult run = tokenmaker(org, server.operatorToken(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        run.createdToken();
        assertEquals(1, run.json().get("summary").asObject().getInt("updated", -1));
        assertNotEquals(outdated.id(), onlyActive(org, TokenPurpose.TASKMAKER).id());
    }

    @Test
    void forceDeletesEveryOldTokenOfThePurpose() {
        Org org = server.newOrg("tm-force");
        tokenmaker(org, server.operatorToken());
        tokenmaker(org, server.operatorToken(), "--rotate");
        assertEquals(2, tokensFor(org, TokenPurpose.TASKMAKER).size());
        ToolResult forced = tokenmaker(org, server.operatorToken(), "--force", "--json");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals(2, forced.json().get("summary").asObject().getInt("deleted", -1));
        List<Authorization> left = tokensFor(org, TokenPurpose.TASKMAKER);
        assertEquals(1, left.size());
        assertTrue(left.get(0).isActive());
        assertEquals(adminId, server.api(forced.createdToken()).me().getString("id", ""));
    }

    @Test
    void memberTokenIsRefusedBeforeAnythingIsCreated() {
        Org org = server.newOrg("tm-member");
        String member = OrgTokens.newMember(operator, org, "member-" + UUID.randomUUID().toString().substring(0, 8));
        String memberToken = OrgTokens.allAccess(operator, org, member);
        List<Authorization> before = operator.authorizations(org.id());

        ToolResult run = tokenmaker(org, memberToken);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("not an owner") && run.err().contains("--user"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertEquals(before, operator.authorizations(org.id()));

        ToolResult named = tokenmaker(org, server.operatorToken(), "--user", member);
        assertEquals(2, named.exitCode(), named.toString());
        assertEquals(before, operator.authorizations(org.id()));
    }

    @Test
    void dryRunCreatesNothing() {
        Org org = server.newOrg("tm-dry");
        List<Authorization> before = operator.authorizations(org.id());
        ToolResult dry = tokenmaker(org, server.operatorToken(), "--dry-run", "--json");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.json().getBoolean("dryRun", false));
        assertEquals("planned", dry.json().get("actions").asArray().get(0).asObject().getString("status", ""));
        assertEquals(before, operator.authorizations(org.id()));
    }

    @Test
    void tokenIsPrintedOnceOnStdoutAndNeverOnStderrEvenWithDebug() {
        Org org = server.newOrg("tm-debug");
        ToolResult run = tokenmaker(org, server.operatorToken(), "--debug");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> tokenLines = run.out().lines().filter(line -> line.startsWith("token: ")).toList();
        assertEquals(1, tokenLines.size(), run.out());
        String token = tokenLines.get(0).substring("token: ".length());
        assertEquals(adminId, server.api(token).me().getString("id", ""));
        assertTrue(run.err().contains("debug: < 201 POST /api/v2/authorizations"), run.err());
        assertTrue(run.err().contains("\"token\": \"<redacted>\""), run.err());
        assertFalse(run.err().contains(token), "the new token is on stderr");
        assertFalse(run.err().contains(server.operatorToken()), "the operator's token is on stderr");
    }

    @Test
    void outputFileIsOwnerOnlyAndNeverOverwrittenWithoutForce(@TempDir Path folder) throws Exception {
        Org org = server.newOrg("tm-file");
        Path file = folder.resolve("taskmaker.token");
        ToolResult run = tokenmaker(org, server.operatorToken(), "--output-file", file.toString(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        String token = Files.readString(file);
        assertEquals(adminId, server.api(token).me().getString("id", ""));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(run.out().contains(token), "a token written to a file is not printed too");

        List<Authorization> before = operator.authorizations(org.id());
        ToolResult refused = tokenmaker(org, server.operatorToken(), "--rotate", "--output-file", file.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("--force"), refused.err());
        assertEquals(before, operator.authorizations(org.id()));
        assertEquals(token, Files.readString(file));

        ToolResult replaced = tokenmaker(org, server.operatorToken(), "--force", "--output-file", file.toString());
        assertEquals(0, replaced.exitCode(), replaced.toString());
        String newer = Files.readString(file);
        assertNotEquals(token, newer);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(adminId, server.api(newer).me().getString("id", ""));
    }

    @Test
    void bucketmapperTokenIsEnoughForBucketmapper() {
        Org org = orgWithData("tm-bucketmapper");
        ToolResult made = tokenmaker(org, OrgTokens.allAccess(operator, org, adminId), "--for", "bucketmapper", "--json");
        assertEquals(0, made.exitCode(), made.toString());
        String token = made.createdToken();
        assertOrgScoped(org, onlyActive(org, TokenPurpose.BUCKETMAPPER));

        ToolResult mapped = ToolResult.run(bucketmapper::new, server.env(org, token));
        assertEquals(0, mapped.exitCode(), mapped.toString());
        assertTrue(operator.dbrps(org.id()).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("app")));
        ToolResult forced = ToolResult.run(bucketmapper::new, server.env(org, token), "--force");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertThrows(ApiException.class, () -> server.api(token).createTask(org.id(),
                "option task = {name: \"no\", every: 1h}\nfrom(bucket: \"app\") |> range(start: -1m)\n", "no"));
    }

    @Test
    void telegrafTokenOnlyWrites() {
        Org org = orgWithData("tm-telegraf");
        String token = tokenmaker(org, server.operatorToken(), "--for", "telegraf", "--json").createdToken();
        assertOrgScoped(org, onlyActive(org, TokenPurpose.TELEGRAF));
        Admin telegrafAdmin = server.admin(token);
        InfluxApi telegraf = telegrafAdmin.api();
        telegrafAdmin.write(org.id(), "app", "mem,host=b used=7 " + (Instant.now().getEpochSecond() - 5));
        String written = admin.query(org.id(), "from(bucket: \"app\") |> range(start: -5m) |> filter(fn: (r) => r._measurement == \"mem\")");
        assertTrue(written.contains("used"), written);
        assertTrue(telegraf.buckets(org.id()).isEmpty(), "cannot read bucket metadata");
        assertThrows(ApiException.class, () -> telegrafAdmin.query(org.id(), "from(bucket: \"app\") |> range(start: -5m)"));
    }

    @Test
    void aTokenThatCannotGrantGetsOneLineNamingTheMissingPermission() {
        Org org = server.newOrg("tm-refused");
        String narrow = tokenmaker(org, server.operatorToken(), "--json").createdToken();
        ToolResult run = tokenmaker(org, narrow, "--for", "telegraf");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("write:orgs/" + org.id() + "/authorizations"), run.err());
        assertTrue(run.err().contains("all-access"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(tokensFor(org, TokenPurpose.TELEGRAF).isEmpty());
    }

    @Test
    void unknownPurposeIsAUsageError() {
        Org org = server.newOrg("tm-usage");
        ToolResult run = tokenmaker(org, server.operatorToken(), "--for", "grafana");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("taskmaker, bucketmapper, telegraf"), run.err());
    }
}

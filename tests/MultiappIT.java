import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import influx.Bucket;
import influx.Org;
import org.junit.jupiter.api.Test;
import tokens.TokenPurpose;

/** multiapp_ is made by the operator's tokenmaker run; taskmaker only uses it, and never deletes it. */
class MultiappIT extends RealServerTest {

    private static List<String> labelNames(Org org) {
        return api.http().get("/api/v2/labels?orgID=" + org.id()).asObject().get("labels").asArray().values().stream()
                .map(label -> label.asObject().getString("name", "")).toList();
    }

    @Test
    void taskmakerWithoutMultiappSaysWhatToRunAndChangesNothing() {
        Org org = server.newOrg("ma-missing");
        api.createBucket(org.id(), "shop", 86_400, "");
        String token = api.createAuthorization(org.id(), null, "taskmaker's grants",
                TokenPurpose.TASKMAKER.permissions(org.id(), api.me().getString("id", ""))).token();
        OrgState before = OrgState.of(api, org);
        for (String[] args : List.of(new String[0], new String[] {"--force"}, new String[] {"--dry-run"})) {
            for (String used : List.of(token, server.operatorToken())) {
                ToolResult run = ToolResult.run(taskmaker::new, server.env(org, used), args);
                assertEquals(2, run.exitCode(), run.toString());
                assertEquals(1, run.err().strip().lines().count(), run.err());
                assertTrue(run.err().startsWith("taskmaker: the bucket \"multiapp_\" is missing in org \"" + org.name() + "\"")
                        && run.err().contains("'tokenmaker --for taskmaker'")
                        && run.err().contains("'influx bucket create --org " + org.name() + " --name multiapp_ --retention 6h'"), run.err());
            }
        }
        assertEquals(before, OrgState.of(api, org));
        assertTrue(api.tasks(org.id()).isEmpty());
        assertTrue(labelNames(org).isEmpty(), labelNames(org).toString());
    }

    @Test
    void tokenmakerForTaskmakerMakesItOnceAndOnlyForTaskmaker() {
        Org org = server.newOrg("ma-tokenmaker");
        ToolResult dry = ToolResult.run(tokenmaker::new, server.env(org), "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("create bucket \"multiapp_\""), dry.out());
        assertTrue(api.bucket(org.id(), "multiapp_").isEmpty());
        assertEquals(0, ToolResult.run(tokenmaker::new, server.env(org), "--for", "bucketmapper", "--json").exitCode());
        assertTrue(api.bucket(org.id(), "multiapp_").isEmpty(), "not for bucketmapper's token");

        ToolResult made = ToolResult.run(tokenmaker::new, server.env(org), "--json");
        assertEquals(0, made.exitCode(), made.toString());
        made.createdToken();
        Bucket multiapp = api.bucket(org.id(), "multiapp_").orElseThrow();
        assertEquals(6 * 3600, multiapp.retentionSeconds(), "how long an alert waits for Slack");
        // Deleted by hand later: a rerun of tokenmaker makes it again, and keeps the token.
        api.deleteBucket(multiapp.id());
        ToolResult again = ToolResult.run(tokenmaker::new, server.env(org), "--json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, again.json().get("summary").asObject().getInt("created", -1), again.out());
        assertEquals(1, again.json().get("summary").asObject().getInt("unchanged", -1), again.out());
        assertTrue(api.bucket(org.id(), "multiapp_").isPresent());
        ToolResult third = ToolResult.run(tokenmaker::new, server.env(org), "--json");
        assertEquals(0, third.json().get("summary").asObject().getInt("created", -1), third.out());
    }

    @Test
    void forceRecreatesTheTasksButKeepsMultiappAndItsData() {
        Org org = server.newOrg("ma-force");
        api.createBucket(org.id(), "shop", 86_400, "");
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        Bucket multiapp = api.bucket(org.id(), "multiapp_").orElseThrow();
        admin.write(org.id(), "multiapp_", "slack_sent,key=probe sent=1i " + (Instant.now().getEpochSecond() - 30));
        assertEquals(0, ToolResult.run(taskmaker::new, server.env(org, token)).exitCode());
        String restartsId = api.tasks(org.id()).stream().filter(task -> task.name().equals("_record_events")).findFirst().orElseThrow().id();

        for (String used : List.of(token, server.operatorToken())) {
            ToolResult forced = ToolResult.run(taskmaker::new, server.env(org, used), "--force", "--json");
            assertEquals(0, forced.exitCode(), forced.toString());
            assertTrue(forced.json().get("actions").toString().contains("\"action\":\"unchanged\",\"kind\":\"bucket\",\"name\":\"multiapp_\""), forced.out());
        }
        assertEquals(multiapp.id(), api.bucket(org.id(), "multiapp_").orElseThrow().id());
        assertTrue(api.tasks(org.id()).stream().noneMatch(task -> task.id().equals(restartsId)), "--force recreated the tasks");
        String kept = admin.query(org.id(), "from(bucket: \"multiapp_\") |> range(start: -1h) |> filter(fn: (r) => r._measurement == \"slack_sent\")");
        assertTrue(kept.contains("probe"), kept);
    }
}

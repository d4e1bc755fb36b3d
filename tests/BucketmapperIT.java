import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import influx.Bucket;
import influx.Dbrp;
import influx.Org;
import org.junit.jupiter.api.Test;

/** bucketmapper against a real server: each test in an org of its own, asserting the server's state. */
class BucketmapperIT extends RealServerTest {

    private ToolResult bucketmapper(Org org, String... args) {
        return ToolResult.run(bucketmapper::new, server.env(org), args);
    }

    /** The physical mappings of the org, database -> retention policy. */
    private static Map<String, String> mappings(Org org) {
        return api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                .collect(Collectors.toMap(Dbrp::database, Dbrp::retentionPolicy));
    }

    @Test
    void emptyOrgMapsOnlyTheSystemBuckets() {
        Org org = server.newOrg("bm-empty");
        ToolResult run = bucketmapper(org);
        assertEquals(0, run.exitCode(), run.toString());
        // A new org has exactly the two system buckets, and no user bucket.
        assertEquals(Map.of("_monitoring", "1w", "_tasks", "3d"), mappings(org));
    }

    @Test
    void mapsEveryBucketWithItsRetentionThenChangesNothing() {
        Org org = server.newOrg("bm-basic");
        api.createBucket(org.id(), "forever", 0, "");
        api.createBucket(org.id(), "hourly", 3600, "");
        api.createBucket(org.id(), "odd", 90061, "");
        api.createBucket(org.id(), "not whole minutes", 3_601 + 7 * 86_400, "");
        api.createBucket(org.id(), "dots.and-dashes", 604_800, "");
        api.createBucket(org.id(), "\u00fcn\u00efc\u00f8d\u00e9 \u2603", 86_400, "");
        api.createBucket(org.id(), "back\\slash", 86_400, "");

        ToolResult first = bucketmapper(org);
        assertEquals(0, first.exitCode(), first.toString());
        Map<String, String> expected = Map.of("forever", "infinite", "hourly", "1h", "odd", "1d1h1m1s",
                "not whole minutes", "1w1h1s", "dots.and-dashes", "1w", "\u00fcn\u00efc\u00f8d\u00e9 \u2603", "1d",
                "_monitoring", "1w", "_tasks", "3d");
        assertEquals(expected, mappings(org));
        assertTrue(first.out().contains("create dbrp \"odd\" -> odd/1d1h1m1s"), first.out());
        // InfluxQL cannot name a database with a backslash: a warning, not a failure.
        assertFalse(mappings(org).containsKey("back\\slash"));
        assertTrue(first.err().contains("\"back\\slash\" cannot be mapped"), first.err());
        api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                .forEach(mapping -> assertTrue(mapping.isDefault(), mapping.toString()));

        ToolResult second = bucketmapper(org, "--json");
        assertEquals(0, second.exitCode(), second.toString());
        JsonObject summary = second.json().get("summary").asObject();
        assertEquals(0, summary.getInt("created", -1));
        assertEquals(expected.size(), summary.getInt("unchanged", -1));
        assertEquals(expected, mappings(org));
    }

    @Test
    void pagesThroughMoreThanOneHundredBuckets() {
        Org org = server.newOrg("bm-paging");
        IntStream.range(0, 130).forEach(i -> api.createBucket(org.id(), String.format("app%03d", i), 3600, ""));
        ToolResult run = bucketmapper(org, "--concurrency", "8");
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, String> mappings = mappings(org);
        assertEquals(132, mappings.size());
        assertEquals("1h", mappings.get("app129"));
    }

    @Test
    void keepsAnExistingMappingAndReportsDrift() {
        Org org = server.newOrg("bm-drift");
        Bucket bucket = api.createBucket(org.id(), "shrinking", 7 * 86_400, "");
        Dbrp before = api.createDbrp(org.id(), bucket, "1w");
        // The retention changes after the mapping was made.
        api.http().patch("/api/v2/buckets/" + bucket.id(), com.eclipsesource.json.Json.object()
                .add("retentionRules", com.eclipsesource.json.Json.array().add(com.eclipsesource.json.Json.object()
                        .add("type", "expire").add("everySeconds", 2 * 86_400))));

        ToolResult report = bucketmapper(org);
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.err().contains("drift") && report.err().contains("2d"), report.err());
        assertEquals("1w", mappings(org).get("shrinking"));
        assertEquals(before.id(), physical(org, "shrinking").id());

        ToolResult update = bucketmapper(org, "--update");
        assertEquals(0, update.exitCode(), update.toString());
        assertEquals("2d", mappings(org).get("shrinking"));
        assertEquals(before.id(), physical(org, "shrinking").id(), "--update renames in place");
    }

    @Test
    void forceRecreatesOnlyPhysicalMappings() {
        Org org = server.newOrg("bm-force");
        api.createBucket(org.id(), "app", 3600, "");
        assertEquals(0, bucketmapper(org).exitCode());
        String oldId = physical(org, "app").id();
        long virtualBefore = api.dbrps(org.id()).stream().filter(Dbrp::virtual).count();

        ToolResult forced = bucketmapper(org, "--force");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertFalse(oldId.equals(physical(org, "app").id()), "the mapping was recreated");
        assertEquals(3, mappings(org).size());
        assertEquals(virtualBefore, api.dbrps(org.id()).stream().filter(Dbrp::virtual).count());
        assertTrue(forced.out().contains("delete dbrp \"app\""), forced.out());
    }

    @Test
    void forceFromTheEnvironmentToo() {
        Org org = server.newOrg("bm-force-env");
        assertEquals(0, bucketmapper(org).exitCode());
        String oldId = physical(org, "_tasks").id();
        Map<String, String> env = new java.util.HashMap<>(server.env(org));
        env.put("FORCE", "1");
        ToolResult forced = ToolResult.run(bucketmapper::new, env);
        assertEquals(0, forced.exitCode(), forced.toString());
        assertFalse(oldId.equals(physical(org, "_tasks").id()));
    }

    @Test
    void dryRunSendsNoWrite() {
        Org org = server.newOrg("bm-dry");
        api.createBucket(org.id(), "app", 3600, "");
        List<Dbrp> before = api.dbrps(org.id());

        ToolResult dry = bucketmapper(org, "--dry-run", "--json");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertEquals(before, api.dbrps(org.id()));
        JsonObject document = dry.json();
        assertTrue(document.getBoolean("dryRun", false));
        Set<String> statuses = document.get("actions").asArray().values().stream()
                .map(action -> action.asObject().getString("status", "")).collect(Collectors.toSet());
        assertEquals(Set.of("planned"), statuses);
        assertEquals(3, document.get("summary").asObject().getInt("created", -1));
    }

    @Test
    void jsonOutputFollowsTheContract() {
        Org org = server.newOrg("bm-json");
        api.createBucket(org.id(), "app", 3600, "");
        ToolResult run = bucketmapper(org, "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonObject document = run.json();
        assertEquals("bucketmapper", document.getString("tool", ""));
        assertFalse(document.getBoolean("dryRun", true));
        assertTrue(document.get("warnings").isArray());
        for (String key : List.of("created", "updated", "deleted", "unchanged", "failed")) {
            assertTrue(document.get("summary").asObject().get(key).isNumber(), key);
        }
        JsonObject app = document.get("actions").asArray().values().stream().map(JsonValue::asObject)
                .filter(action -> action.getString("name", "").equals("app")).findFirst().orElseThrow();
        assertEquals("create", app.getString("action", ""));
        assertEquals("dbrp", app.getString("kind", ""));
        assertEquals("ok", app.getString("status", ""));
        assertEquals("app/1h", app.getString("detail", ""));
        assertEquals(physical(org, "app").id(), app.getString("id", ""));
    }

    @Test
    void wrongTokenExitsThreeWithAClearMessage() {
        Org org = server.newOrg("bm-token");
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org, "not-a-real-token"));
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("token was rejected"), run.err());
        assertFalse(run.err().contains("not-a-real-token"), "the token is never printed");
        assertTrue(mappings(org).isEmpty());
    }

    @Test
    void unknownOrgExitsTwoNamingTheOrg() {
        Org org = new Org("0000000000000000", "no-such-org-here");
        ToolResult run = bucketmapper(org);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no-such-org-here") && run.err().contains("name"), run.err());
    }

    private static Dbrp physical(Org org, String database) {
        return api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual() && mapping.database().equals(database))
                .findFirst().orElseThrow();
    }
}

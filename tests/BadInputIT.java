import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import influx.Dbrp;
import influx.Org;
import org.junit.jupiter.api.Test;

/**
 * What an operator can get wrong, run against the real server: each case ends with its contract
 * exit code and one clear line on stderr, and leaves the org exactly as it was.
 */
class BadInputIT extends RealServerTest {

    /** Runs bucketmapper on an org with one bucket and asserts the run changed nothing there. */
    private ToolResult unchangedBy(Map<String, String> overrides, String... args) {
        Org org = server.newOrg("bad-input");
        api.createBucket(org.id(), "app", 3600, "");
        OrgState before = OrgState.of(api, org);
        Map<String, String> env = new HashMap<>(server.env(org));
        env.putAll(overrides);
        ToolResult run = ToolResult.run(bucketmapper::new, env, args);
        assertEquals(before, OrgState.of(api, org), "the server is unchanged\n" + run);
        return run;
    }

    private static void assertOneLineError(ToolResult run, int exitCode, String... expected) {
        assertEquals(exitCode, run.exitCode(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), "one line on stderr\n" + run);
        for (String text : expected) {
            assertTrue(run.err().contains(text), "stderr mentions '" + text + "'\n" + run);
        }
    }

    @Test
    void emptyOrBlankTokenIsAUsageError() {
        assertOneLineError(unchangedBy(Map.of(), "--token", ""), 2, "token is empty");
        assertOneLineError(unchangedBy(Map.of(), "--token", "   "), 2, "token is empty");
        assertOneLineError(unchangedBy(Map.of("INFLUXDB_TOKEN", "")), 2, "no token");
    }

    @Test
    void tokenWithControlCharactersIsAUsageError() {
        assertOneLineError(unchangedBy(Map.of(), "--token", "abc\u0007def"), 2, "control or non-ASCII");
    }

    @Test
    void urlWithoutSchemeIsAUsageError() {
        String hostAndPort = server.url().replaceFirst("^https?://", "");
        assertOneLineError(unchangedBy(Map.of(), "--url", hostAndPort), 2, "malformed URL");
        assertOneLineError(unchangedBy(Map.of(), "--url", "localhost:8086"), 2, "malformed URL", "http://HOST:PORT");
    }

    @Test
    void urlWithAPathIsAUsageError() {
        assertOneLineError(unchangedBy(Map.of(), "--url", server.url() + "/api/v2"), 2, "without a path");
    }

    @Test
    void urlWithATrailingSlashSimplyWorks() {
        Org org = server.newOrg("bad-input-slash");
        api.createBucket(org.id(), "app", 3600, "");
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org), "--url", server.url() + "/");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(Map.of("app", 1L, "_monitoring", 1L, "_tasks", 1L), OrgState.of(api, org).physicalMappingsPerDatabase());
    }

    @Test
    void httpsToAPlainHttpServerIsUnreachableWithTheTlsCause() {
        String https = server.url().replaceFirst("^http://", "https://");
        ToolResult run = unchangedBy(Map.of(), "--url", https);
        assertOneLineError(run, 3, "cannot reach InfluxDB at " + https, "TLS failure");
    }

    @Test
    void refusedConnectionFailsFastWithExitThree() {
        String nobody = "http://127.0.0.1:" + InfluxServer.freePort();
        long started = System.nanoTime();
        ToolResult run = unchangedBy(Map.of(), "--url", nobody);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertOneLineError(run, 3, "cannot reach InfluxDB at " + nobody + ": connection refused");
        // Retries included; the org set-up around the run is part of the measured time.
        assertTrue(millis < 2_500, "took " + millis + " ms");
    }

    @Test
    void unknownHostIsUnreachableAndNotRetried() {
        ToolResult run = unchangedBy(Map.of(), "--url", "http://no-such-host.invalid:8086");
        assertOneLineError(run, 3, "cannot reach InfluxDB at http://no-such-host.invalid:8086: unknown host");
    }

    @Test
    void orgIdGivenAsOrgNameHintsAtOrgId() {
        Org org = server.newOrg("bad-input-orgid");
        OrgState before = OrgState.of(api, org);
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org), "--org", org.id());
        assertOneLineError(run, 2, org.id(), "--org-id");
        assertEquals(before, OrgState.of(api, org));
    }

    @Test
    void unknownFlagIsOneLineAndExitTwo() {
        ToolResult run = unchangedBy(Map.of(), "--no-such-flag");
        assertOneLineError(run, 2, "--no-such-flag");
        assertEquals("", run.out());
    }

    @Test
    void unknownFlagWithJsonStillPrintsOneDocument() {
        ToolResult run = unchangedBy(Map.of(), "--json", "--no-such-flag");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.json().getString("error", "").contains("--no-such-flag"), run.toString());
    }

    @Test
    void unreadableOrMalformedCaCertIsAUsageError() throws IOException {
        assertOneLineError(unchangedBy(Map.of(), "--ca-cert", "/no/such/ca.pem"), 2, "--ca-cert");
        Path notPem = Files.createTempFile("not-a-certificate", ".pem");
        try {
            Files.writeString(notPem, "this is not a certificate\n");
            assertOneLineError(unchangedBy(Map.of(), "--ca-cert", notPem.toString()), 2, "--ca-cert");
        } finally {
            Files.delete(notPem);
        }
    }

    @Test
    void bucketNamesWithOddCharactersAreMapped() {
        Org org = server.newOrg("bad-input-names");
        List<String> odd = List.of("with ${braces}", "it's quoted", "hash#tag", "\u00fcn\u00efc\u00f8d\u00e9 \u2603 \u65e5\u672c", "semi;colon and space");
        odd.forEach(name -> api.createBucket(org.id(), name, 3600, ""));
        api.createBucket(org.id(), "back\\slash", 3600, "");
        // Retention the server accepts but that is not whole minutes (it needs at least an hour).
        api.createBucket(org.id(), "uneven", 3600 + 61, "");
        api.createBucket(org.id(), "longest", 7 * 86_400 + 3_599, "");

        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org));
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, Long> perDatabase = OrgState.of(api, org).physicalMappingsPerDatabase();
        odd.forEach(name -> assertEquals(1L, perDatabase.get(name), name + "\n" + run));
        assertFalse(perDatabase.containsKey("back\\slash"));
        assertTrue(run.err().contains("\"back\\slash\" cannot be mapped"), run.err());
        Map<String, String> rp = retentionPolicies(org);
        assertEquals("1h1m1s", rp.get("uneven"));
        assertEquals("1w59m59s", rp.get("longest"));

        ToolResult again = ToolResult.run(bucketmapper::new, server.env(org), "--json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(0, again.json().get("summary").asObject().getInt("created", -1));
    }

    @Test
    void theLongestNamesTheServerAllows() {
        Org org = server.newOrg("bad-input-long");
        // A bucket name may be 32752 bytes (the store's key limit less the org ID), a database name 17 fewer.
        String longestDatabase = "d".repeat(Dbrp.MAX_DATABASE_BYTES);
        String longestBucket = "b".repeat(Dbrp.MAX_DATABASE_BYTES + 17);
        api.createBucket(org.id(), longestDatabase, 3600, "");
        api.createBucket(org.id(), longestBucket, 3600, "");

        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org));
        assertEquals(0, run.exitCode(), run.toString());
        Map<String, Long> perDatabase = OrgState.of(api, org).physicalMappingsPerDatabase();
        assertEquals(1L, perDatabase.get(longestDatabase));
        assertFalse(perDatabase.containsKey(longestBucket));
        assertTrue(run.err().contains("longer than " + Dbrp.MAX_DATABASE_BYTES + " bytes"), "warning about the too-long name");
    }

    @Test
    void moreThanAThousandBucketsAreAllMapped() {
        Org org = server.newOrg("bad-input-many");
        List<String> names = Buckets.create(api, org, "app", 1_050);
        ToolResult run = ToolResult.run(bucketmapper::new, server.env(org), "--concurrency", "16", "--json");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, Long> perDatabase = OrgState.of(api, org).physicalMappingsPerDatabase();
        assertEquals(names.size() + 2, perDatabase.size());
        names.forEach(name -> assertEquals(1L, perDatabase.get(name), name));
        assertEquals(names.size() + 2, run.json().get("summary").asObject().getInt("created", -1));
    }

    private static Map<String, String> retentionPolicies(Org org) {
        Map<String, String> rp = new HashMap<>();
        api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                .forEach(mapping -> rp.put(mapping.database(), mapping.retentionPolicy()));
        return rp;
    }
}

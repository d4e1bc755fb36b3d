import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import influx.Bucket;
import influx.InfluxApi;
import influx.Org;
import org.junit.jupiter.api.Test;

/**
 * bucketmapper when the network and the server misbehave: every run ends with the documented exit
 * code, and the next run converges to exactly one physical mapping per bucket.
 */
class FaultIT extends RealServerTest {

    @Test
    void convergesThroughErrorsSlownessAndDroppedConnections() {
        Org org = server.newOrg("fault-proxy");
        List<String> names = Buckets.create(api, org, "app", 30);
        List<FaultProxy.Fault> rotation = FaultProxy.EVERY_FAULT;
        try (FaultProxy proxy = new FaultProxy(server.url(), rotation, Duration.ofMillis(1_500))) {
            ToolResult run = ToolResult.run(bucketmapper::new, server.env(org), "--url", proxy.url(), "--timeout", "1");
            assertEquals(0, run.exitCode(), run.toString());
            assertConverged(org, names);
            for (FaultProxy.Fault fault : rotation) {
                assertTrue(proxy.injected(fault, "POST", "/api/v2/dbrps") > 0, fault + " hit a create");
            }
            assertTrue(proxy.injected(FaultProxy.Fault.SLOW, "GET", "/api/v2/dbrps") > 0, "a slow read");

            ToolResult again = ToolResult.run(bucketmapper::new, server.env(org), "--url", proxy.url(), "--timeout", "1", "--json");
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(0, again.json().get("summary").asObject().getInt("created", -1));
            assertConverged(org, names);
        }
    }

    @Test
    void persistentServerErrorsEndInTheServersMessage() {
        Outage.assertRunChangesNothing("/", server.newOrg("fault-503"), bucketmapper::new);
    }

    /** The bucket listing is read while the mappings are; its failure must end the run as a failed read would. */
    @Test
    void aFailingBucketListingEndsTheRunBeforeAnyChange() {
        Org org = server.newOrg("fault-buckets");
        Buckets.create(api, org, "app", 3);
        Outage.assertRunChangesNothing("/api/v2/buckets", org, bucketmapper::new);
    }

    @Test
    void serverKilledMidRunThenRestartedConverges() throws Exception {
        String token = "fault-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        try {
            InfluxApi extra = apiOf(influxd.url(), token);
            Org org = extra.orgByName("test-org").orElseThrow();
            List<String> names = Buckets.create(extra, org, "app", 600);
            Map<String, String> env = Map.of("INFLUXDB_URL", influxd.url(), "INFLUXDB_ORG", org.name(), "INFLUXDB_TOKEN", token);

            CompletableFuture<ToolResult> first = CompletableFuture.supplyAsync(() -> ToolResult.run(bucketmapper::new, env, "--concurrency", "2"));
            awaitSomeMappings(extra, org, first);
            long killedAt = System.nanoTime();
            influxd.kill();
            ToolResult interrupted = first.get(60, TimeUnit.SECONDS);
            long millisAfterKill = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(interrupted.exitCode() == 1 || interrupted.exitCode() == 3, interrupted.toString());
            assertTrue(interrupted.err().contains("cannot reach InfluxDB at " + influxd.url()), interrupted.err());
            // Only the first failed request waits through its retries; the rest give up at once.
            assertTrue(millisAfterKill < 10_000, "the run ended " + millisAfterKill + " ms after the kill");

            influxd.restart();
            // The killed run's lock is still there; it stopped being renewed when the server died.
            ToolResult second = ToolResult.run(bucketmapper::new, env, "--concurrency", "8", "--lock-timeout", "3");
            assertEquals(0, second.exitCode(), second.err());
            assertConverged(extra, org, names);
        } finally {
            influxd.destroy();
        }
    }

    private static void awaitSomeMappings(InfluxApi extra, Org org, CompletableFuture<ToolResult> run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before the server could be killed:\n" + run.join());
            }
            if (extra.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual()).count() >= 20) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no mappings appeared within 60 s");
    }

    private static void assertConverged(Org org, List<String> names) {
        assertConverged(api, org, names);
    }

    /** Exactly one physical mapping for each bucket of the org (the test's and the org's own). */
    private static void assertConverged(InfluxApi on, Org org, List<String> names) {
        OrgState state = OrgState.of(on, org);
        Map<String, Long> perDatabase = state.physicalMappingsPerDatabase();
        assertTrue(state.buckets().stream().map(Bucket::name).toList().containsAll(names));
        state.buckets().forEach(bucket -> assertEquals(1L, perDatabase.get(bucket.name()), "mappings of " + bucket.name()));
        assertEquals(state.buckets().size(), perDatabase.size(), "no mapping without its bucket");
    }

    private static InfluxApi apiOf(String url, String token) {
        return Admin.of(url, token).api();
    }
}

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import influx.InfluxApi;
import influx.Org;
import influx.Task;
import org.junit.jupiter.api.Test;
import plan.RunLock;
import tokens.Multiapp;

/**
 * taskmaker when the network and the server misbehave. Task names are not unique on the server,
 * so a create whose answer was lost is the dangerous case: it must never leave two copies.
 */
class TaskmakerFaultIT extends RealServerTest {

    @Test
    void convergesThroughErrorsSlownessAndDroppedConnections() throws Exception {
        // The faults go in turn to distinct requests of each method; a run creates only five tasks, so
        // distinct POSTs sent first (k of them) shift the turn until a create's answer is the one lost.
        boolean lostACreate = false;
        for (int k = 0; k < FaultProxy.EVERY_FAULT.size() && !lostACreate; k++) {
            Org org = server.newOrg("tm-fault-proxy");
            Multiapp.create(api, org.id());
            List<String> apps = Buckets.create(api, org, "app", 12);
            try (FaultProxy proxy = new FaultProxy(server.url(), FaultProxy.EVERY_FAULT, Duration.ofMillis(1_500))) {
                for (int i = 0; i < k; i++) {
                    shift(proxy, i);
                }
                ToolResult run = ToolResult.run(taskmaker::new, server.env(org), "--url", proxy.url(), "--timeout", "1");
                assertEquals(0, run.exitCode(), run.toString());
                assertOneOfEach(api, org, apps);
                lostACreate = proxy.injected(FaultProxy.Fault.DROP_AFTER_FORWARD, "POST", "/api/v2/tasks") > 0;

                ToolResult again = ToolResult.run(taskmaker::new, server.env(org), "--url", proxy.url(), "--timeout", "1", "--json");
                assertEquals(0, again.exitCode(), again.toString());
                assertEquals(0, again.json().get("summary").asObject().getInt("created", -1), again.out());
                assertOneOfEach(api, org, apps);
            }
        }
        assertTrue(lostACreate, "a create's answer was lost");
    }

    private static void shift(FaultProxy proxy, int i) throws InterruptedException {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/ping"))
                    .POST(HttpRequest.BodyPublishers.ofString("shift " + i)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The fault it met: that is all it is for.
        }
    }

    /** The task listing is read while the buckets are; its failure must end the run as a failed read would. */
    @Test
    void aFailingTaskListingEndsTheRunBeforeAnyChange() {
        Org org = server.newOrg("tm-fault-tasks");
        Multiapp.create(api, org.id());
        Buckets.create(api, org, "app", 3);
        Outage.assertRunChangesNothing("/api/v2/tasks", org, taskmaker::new);
        assertTrue(api.tasks(org.id()).isEmpty());
    }

    @Test
    void serverKilledMidRunThenRestartedConverges() throws Exception {
        String token = "tm-fault-" + UUID.randomUUID();
        LocalInfluxd influxd = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        try {
            InfluxApi extra = Admin.of(influxd.url(), token).api();
            Org org = extra.orgByName("test-org").orElseThrow();
            Multiapp.create(extra, org.id());
            List<String> apps = Buckets.create(extra, org, "app", 150);
            Map<String, String> env = Map.of("INFLUXDB_URL", influxd.url(), "INFLUXDB_ORG", org.name(), "INFLUXDB_TOKEN", token);

            CompletableFuture<ToolResult> first = CompletableFuture.supplyAsync(() -> ToolResult.run(taskmaker::new, env, "--concurrency", "2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Killed once the run holds its lock: it has read or is reading the org, and changes follow.
            while (extra.label(org.id(), RunLock.labelName("taskmaker")).isEmpty()) {
                assertTrue(!first.isDone() && System.nanoTime() < deadline, "the run ended before the kill: " + (first.isDone() ? first.join() : ""));
                Thread.sleep(2);
            }
            influxd.kill();
            ToolResult interrupted = first.get(60, TimeUnit.SECONDS);
            assertTrue(interrupted.exitCode() == 1 || interrupted.exitCode() == 3, interrupted.toString());
            assertTrue(interrupted.err().contains("cannot reach InfluxDB at " + influxd.url()), interrupted.err());

            influxd.restart();
            // The lock of the interrupted run is left behind; it is no longer renewed.
            ToolResult second = ToolResult.run(taskmaker::new, env, "--concurrency", "8", "--lock-timeout", "3");
            assertEquals(0, second.exitCode(), second.toString());
            assertOneOfEach(extra, org, apps);
        } finally {
            influxd.destroy();
        }
    }

    private static void assertOneOfEach(InfluxApi as, Org org, List<String> applications) {
        Map<String, Long> copies = as.tasks(org.id()).stream().collect(Collectors.groupingBy(Task::name, Collectors.counting()));
        assertEquals(1 + 3, copies.size(), copies.toString());
        String watch = as.tasks(org.id()).stream().filter(task -> task.name().equals("_record_events")).findFirst().orElseThrow().flux();
        applications.forEach(application -> assertTrue(watch.contains("\"" + application + "\""), application));
        assertEquals(List.of(1L), copies.values().stream().distinct().toList(), copies.toString());
        assertEquals(1, as.buckets(org.id()).stream().filter(bucket -> bucket.name().equals("multiapp_")).count());
    }
}

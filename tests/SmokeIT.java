import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import com.eclipsesource.json.Json;
import influx.Bucket;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import org.junit.jupiter.api.Test;

/** Proves the fixture is a real InfluxDB: it stores data, runs Flux, and runs tasks. */
class SmokeIT extends RealServerTest {
    @Test
    void healthReportsTheExpectedVersion() {
        var health = Json.parse(InfluxServer.send(server.url(), "GET", "/health", null, null).body()).asObject();
        assertEquals("pass", health.getString("status", ""));
        assertEquals(InfluxServer.VERSION, health.getString("version", ""));
    }

    @Test
    void writesQueriesAndRunsATask() {
        Org org = server.newOrg("smoke");
        Bucket bucket = api.createBucket(org.id(), "smoke", 3600, "smoke test");
        // A forced run sees data up to its own start, to the second, exclusive: write a little earlier.
        long now = Instant.now().getEpochSecond() - 10;
        admin.write(org.id(), bucket.name(), "cpu,host=a usage=42.5 " + now);

        String csv = admin.query(org.id(), "from(bucket: \"smoke\") |> range(start: -5m) |> filter(fn: (r) => r._field == \"usage\")");
        assertTrue(csv.contains("42.5"), csv);

        Task task = api.createTask(org.id(), """
                option task = {name: "smoke copy", every: 1h}
                from(bucket: "smoke") |> range(start: -5m) |> set(key: "_measurement", value: "copied") |> to(bucket: "smoke")
                """, "smoke");
        TaskRun run = TaskRuns.runToCompletion(api, task.id(), Duration.ofSeconds(60));
        assertEquals("success", run.status(), String.join("\n", run.log()));

        String copied = admin.query(org.id(), "from(bucket: \"smoke\") |> range(start: -5m) |> filter(fn: (r) => r._measurement == \"copied\")");
        assertTrue(copied.contains("42.5"), copied);
    }
}

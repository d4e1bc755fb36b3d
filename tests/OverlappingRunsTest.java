import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two CronJob pods starting at the same moment must not duplicate anything. */
class OverlappingRunsTest {
    static InfluxServer server;
    static InfluxApi api;

    @BeforeAll
    static void server() {
        server = InfluxServer.shared();
        api = server.operatorApi();
    }

    @Test
    void twoSimultaneousProcessesMakeEachObjectOnce(@TempDir Path logs) throws Exception {
        Org org = server.newOrg("tm-race");
        for (int i = 0; i < 10; i++) {
            api.createBucket(org.id(), "app" + i, 86_400, "");
        }
        Process one = ToolProcess.start("taskmaker", server.env(org), logs.resolve("one.log"));
        Process two = ToolProcess.start("taskmaker", server.env(org), logs.resolve("two.log"));
        assertEquals(0, one.waitFor(), Files.readString(logs.resolve("one.log")));
        assertEquals(0, two.waitFor(), Files.readString(logs.resolve("two.log")));

        Map<String, Long> copies = api.tasks(org.id()).stream()
                .collect(Collectors.groupingBy(Task::name, Collectors.counting()));
        assertEquals(10 * 2 + 3, copies.size());
        assertEquals(List.of(1L), copies.values().stream().distinct().toList(), copies.toString());
        assertEquals(1, api.buckets(org.id()).stream().filter(bucket -> bucket.name().equals("multiapp_")).count());
        assertEquals(0, api.buckets(org.id()).stream().filter(bucket -> bucket.name().endsWith(".lock_")).count());
    }

    @Test
    void twoSimultaneousBucketmapperProcessesMapEachBucketOnce(@TempDir Path logs) throws Exception {
        Org org = server.newOrg("bm-race");
        for (int i = 0; i < 30; i++) {
            api.createBucket(org.id(), "app" + i, 86_400, "");
        }
        Process one = ToolProcess.start("bucketmapper", server.env(org), logs.resolve("one.log"));
        Process two = ToolProcess.start("bucketmapper", server.env(org), logs.resolve("two.log"));
        assertEquals(0, one.waitFor(), Files.readString(logs.resolve("one.log")));
        assertEquals(0, two.waitFor(), Files.readString(logs.resolve("two.log")));
        Map<String, Long> perDatabase = api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                .collect(Collectors.groupingBy(Dbrp::database, Collectors.counting()));
        assertEquals(32, perDatabase.size());
        assertEquals(List.of(1L), perDatabase.values().stream().distinct().toList(), perDatabase.toString());
    }

}

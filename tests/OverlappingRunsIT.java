import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import influx.Dbrp;
import influx.Org;
import influx.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plan.RunLock;
import tokens.Multiapp;
import tokens.TokenPurpose;

/** Two CronJob pods starting at the same moment must not duplicate anything. */
class OverlappingRunsIT extends RealServerTest {

    @Test
    void twoSimultaneousTaskmakersMakeEachObjectOnce(@TempDir Path logs) throws Exception {
        Org org = server.newOrg("tm-race");
        Buckets.create(api, org, "app", 10);
        // The CronJob's token, whose lock is a label: it cannot write buckets.
        String token = ToolResult.run(tokenmaker::new, server.env(org), "--json").createdToken();
        runTwiceAtOnce("taskmaker", server.env(org, token), logs);

        Map<String, Long> copies = api.tasks(org.id()).stream()
                .collect(Collectors.groupingBy(Task::name, Collectors.counting()));
        assertEquals(1 + 3, copies.size(), copies.toString());
        assertEquals(List.of(1L), copies.values().stream().distinct().toList(), copies.toString());
        assertEquals(1, api.buckets(org.id()).stream().filter(bucket -> bucket.name().equals("multiapp_")).count());
        assertEquals(0, api.buckets(org.id()).stream().filter(bucket -> bucket.name().endsWith(".lock_")).count());
        assertTrue(api.label(org.id(), RunLock.labelName("taskmaker")).isEmpty(), "the lock label is released");
    }

    /** An installation whose taskmaker token predates the label lock: its runs exclude each other on the old bucket lock. */
    @Test
    void twoSimultaneousTaskmakersWithAnOlderTokenMakeEachObjectOnce(@TempDir Path logs) throws Exception {
        Org org = server.newOrg("tm-race-older");
        Multiapp.create(api, org.id());
        Buckets.create(api, org, "app", 10);
        String older = api.createAuthorization(org.id(), null, TokenPurpose.TASKMAKER.description(),
                TokenmakerIT.olderTaskmakerGrants(org, api.me().getString("id", ""))).token();
        runTwiceAtOnce("taskmaker", server.env(org, older), logs);

        Map<String, Long> copies = api.tasks(org.id()).stream()
                .collect(Collectors.groupingBy(Task::name, Collectors.counting()));
        assertEquals(1 + 3, copies.size(), copies.toString());
        assertEquals(List.of(1L), copies.values().stream().distinct().toList(), copies.toString());
        assertEquals(0, api.buckets(org.id()).stream().filter(bucket -> bucket.name().endsWith(".lock_")).count());
    }

    @Test
    void twoSimultaneousBucketmappersMapEachBucketOnce(@TempDir Path logs) throws Exception {
        Org org = server.newOrg("bm-race");
        Buckets.create(api, org, "app", 30);
        runTwiceAtOnce("bucketmapper", server.env(org), logs);

        Map<String, Long> perDatabase = api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual())
                .collect(Collectors.groupingBy(Dbrp::database, Collectors.counting()));
        assertEquals(32, perDatabase.size());
        assertEquals(List.of(1L), perDatabase.values().stream().distinct().toList(), perDatabase.toString());
    }

    /** Two processes of the tool, started together, as two CronJob pods would be; both must succeed. */
    private static void runTwiceAtOnce(String tool, Map<String, String> env, Path logs) throws Exception {
        Process one = ToolProcess.start(tool, env, logs.resolve("one.log"));
        Process two = ToolProcess.start(tool, env, logs.resolve("two.log"));
        assertEquals(0, one.waitFor(), Files.readString(logs.resolve("one.log")));
        assertEquals(0, two.waitFor(), Files.readString(logs.resolve("two.log")));
    }
}

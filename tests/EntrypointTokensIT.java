import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import influx.Org;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokens.Multiapp;

/**
 * The image's entry point gives each scheduled tool its own token (BUCKETMAPPER_TOKEN,
 * TASKMAKER_TOKEN), never the other's; INFLUXDB_TOKEN alone still serves both.
 */
class EntrypointTokensIT extends RealServerTest {
    @TempDir
    static Path image;

    @BeforeAll
    static void export() {
        Shell.Result export = Shell.run(Shell.ROOT, Map.of(), List.of("deploy/export.sh", image.toString()));
        assertEquals(0, export.exitCode(), export.toString());
    }

    private static Shell.Result cron(Org org, Map<String, String> tokens) {
        Map<String, String> env = new HashMap<>(Map.of("INFLUXDB_URL", server.url(), "INFLUXDB_ORG", org.name()));
        env.putAll(tokens);
        return Shell.run(Path.of("/"), env, List.of(image.resolve("entrypoint.sh").toString()));
    }

    private static String token(Org org, String purpose) {
        return ToolResult.run(tokenmaker::new, server.env(org), "--for", purpose, "--json").createdToken();
    }

    @Test
    void eachToolRunsWithItsOwnToken() {
        Org org = server.newOrg("entry-tokens");
        api.createBucket(org.id(), "shop", 86_400, "");
        String taskmakerToken = token(org, "taskmaker");
        String bucketmapperToken = token(org, "bucketmapper");

        Shell.Result both = cron(org, Map.of("BUCKETMAPPER_TOKEN", bucketmapperToken, "TASKMAKER_TOKEN", taskmakerToken));
        assertEquals(0, both.exitCode(), both.toString());
        assertTrue(api.dbrps(org.id()).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("shop")));
        assertEquals(4, api.tasks(org.id()).size());

        // A rejected token for one tool fails that tool alone, though the operator's INFLUXDB_TOKEN is there too.
        Shell.Result badBucketmapper = cron(org, Map.of("BUCKETMAPPER_TOKEN", "not-a-token", "TASKMAKER_TOKEN", taskmakerToken,
                "INFLUXDB_TOKEN", server.operatorToken()));
        assertEquals(3, badBucketmapper.exitCode(), badBucketmapper.toString());
        assertTrue(badBucketmapper.output().contains("influx-tools: bucketmapper FAILED with exit code 3")
                && badBucketmapper.output().contains("influx-tools: taskmaker succeeded"), badBucketmapper.output());
        Shell.Result badTaskmaker = cron(org, Map.of("BUCKETMAPPER_TOKEN", bucketmapperToken, "TASKMAKER_TOKEN", "not-a-token",
                "INFLUXDB_TOKEN", server.operatorToken()));
        assertEquals(3, badTaskmaker.exitCode(), badTaskmaker.toString());
        assertTrue(badTaskmaker.output().contains("influx-tools: bucketmapper succeeded")
                && badTaskmaker.output().contains("influx-tools: taskmaker FAILED with exit code 3"), badTaskmaker.output());

        // taskmaker's token is not handed to bucketmapper when bucketmapper has none.
        Shell.Result onlyTaskmaker = cron(org, Map.of("TASKMAKER_TOKEN", taskmakerToken));
        assertEquals(2, onlyTaskmaker.exitCode(), onlyTaskmaker.toString());
        assertTrue(onlyTaskmaker.output().contains("influx-tools: no token for bucketmapper: set BUCKETMAPPER_TOKEN (or INFLUXDB_TOKEN)")
                && onlyTaskmaker.output().contains("influx-tools: taskmaker succeeded"), onlyTaskmaker.output());
        Shell.Result onlyBucketmapper = cron(org, Map.of("BUCKETMAPPER_TOKEN", bucketmapperToken));
        assertEquals(2, onlyBucketmapper.exitCode(), onlyBucketmapper.toString());
        assertTrue(onlyBucketmapper.output().contains("influx-tools: no token for taskmaker: set TASKMAKER_TOKEN (or INFLUXDB_TOKEN)")
                && onlyBucketmapper.output().contains("influx-tools: bucketmapper succeeded"), onlyBucketmapper.output());

        for (Shell.Result run : List.of(both, badBucketmapper, badTaskmaker, onlyTaskmaker, onlyBucketmapper)) {
            assertTrue(!run.output().contains(taskmakerToken) && !run.output().contains(bucketmapperToken), "a token was printed");
        }
    }

    /** An installation from before, with one Secret key INFLUXDB_TOKEN, keeps working. */
    @Test
    void oneSharedTokenStillServesBoth() {
        Org org = server.newOrg("entry-shared");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        Shell.Result shared = cron(org, Map.of("INFLUXDB_TOKEN", server.operatorToken()));
        assertEquals(0, shared.exitCode(), shared.toString());
        assertTrue(api.dbrps(org.id()).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("shop")));
        assertEquals(4, api.tasks(org.id()).size());
    }
}

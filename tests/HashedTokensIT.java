import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import influx.InfluxApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InfluxDB 2.9's default: tokens stored hashed, readable only in the create response. The rest of
 * the suite runs the 2.7-compatible mode; this proves the tools never need to read a token back.
 * Releases before 2.8 have no hashed tokens: there the test is skipped, saying so.
 */
class HashedTokensIT {
    static LocalInfluxd influxd;
    static String operatorToken = "hashed-operator-" + UUID.randomUUID();
    static String version;

    @BeforeAll
    static void server() {
        java.nio.file.Path binary = LocalInfluxd.binary();
        version = LocalInfluxd.version(binary);
        if (LocalInfluxd.hashedTokensSupported(binary)) {
            influxd = InfluxServer.startExtra(new LocalInfluxd.Options(true, null, null, List.of()), operatorToken);
        }
    }

    @AfterAll
    static void stop() {
        if (influxd != null) {
            influxd.destroy();
        }
    }

    @Test
    void tokenmakerTokensWorkAndAreRecognisedAgain() {
        assumeTrue(influxd != null, "InfluxDB " + version + " stores tokens in plain only: hashed tokens exist from 2.8 on");
        Map<String, String> env = new HashMap<>();
        env.put("INFLUXDB_URL", influxd.url());
        env.put("INFLUXDB_ORG", "test-org");
        env.put("INFLUXDB_TOKEN", operatorToken);
        InfluxApi operator = Admin.of(influxd.url(), operatorToken).api();
        String orgId = operator.orgByName("test-org").orElseThrow().id();
        operator.createBucket(orgId, "shop", 86_400, "");
        // Hashing really is on: the server cannot show a token again, not even the operator's.
        assertTrue(!operator.http().get("/api/v2/authorizations").toString().contains(operatorToken));

        ToolResult made = ToolResult.run(tokenmaker::new, env, "--for", "bucketmapper", "--json");
        assertEquals(0, made.exitCode(), made.toString());
        String token = made.createdToken();

        env.put("INFLUXDB_TOKEN", token);
        ToolResult mapped = ToolResult.run(bucketmapper::new, env);
        assertEquals(0, mapped.exitCode(), mapped.toString());
        assertTrue(operator.dbrps(orgId).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("shop")));

        env.put("INFLUXDB_TOKEN", operatorToken);
        ToolResult again = ToolResult.run(tokenmaker::new, env, "--for", "bucketmapper", "--json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(0, again.json().get("summary").asObject().getInt("created", -1), "recognised without reading the token back");
        assertEquals(1, again.json().get("summary").asObject().getInt("unchanged", -1));
    }
}

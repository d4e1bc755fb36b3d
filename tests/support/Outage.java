import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;

import influx.InfluxApi;
import influx.Org;

/**
 * A tool run while the real server's APIs under one path answer 503 (through the fault proxy): the
 * run must end with exit 3 and the server's own message, and leave the org as it was.
 */
public final class Outage {
    private Outage() {}

    public static ToolResult assertRunChangesNothing(String pathPrefix, Org org, Function<Map<String, String>, Object> tool) {
        InfluxServer server = InfluxServer.shared();
        InfluxApi api = server.operatorApi();
        OrgState before = OrgState.of(api, org);
        ToolResult run;
        try (FaultProxy proxy = FaultProxy.alwaysOn(server.url(), pathPrefix, FaultProxy.Fault.UNAVAILABLE)) {
            run = ToolResult.run(tool, server.env(org), "--url", proxy.url());
            assertTrue(proxy.injected(FaultProxy.Fault.UNAVAILABLE) > 0, "no request under " + pathPrefix + " was made");
        }
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("HTTP 503") && run.err().contains("fault proxy: service unavailable"), run.err());
        assertEquals(before, OrgState.of(api, org));
        return run;
    }
}

import influx.InfluxApi;
import org.junit.jupiter.api.BeforeAll;

/**
 * The base of every integration test: the one real InfluxDB of this test run, and the operator's
 * client of it. A test makes an org of its own (server.newOrg) and never sees another test's.
 */
public abstract class RealServerTest {
    protected static InfluxServer server;
    protected static InfluxApi api;
    protected static Admin admin;

    @BeforeAll
    static void realServer() {
        server = InfluxServer.shared();
        admin = server.operatorAdmin();
        api = admin.api();
    }
}

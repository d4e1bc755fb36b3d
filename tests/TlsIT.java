import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import influx.Org;
import influx.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * https against a real influxd serving a certificate from a private CA, issued for 127.0.0.1 only:
 * "localhost" reaches the same server under a name the certificate does not carry.
 */
class TlsIT {
    static TestCertificates certificates;
    static LocalInfluxd influxd;
    static String token;
    static Admin admin;

    @BeforeAll
    static void server() {
        certificates = TestCertificates.create();
        TestCertificates.ServerCertificate cert = certificates.server("influxd", "IP:127.0.0.1");
        token = "tls-" + UUID.randomUUID();
        HttpClient trusting = HttpClient.newBuilder().sslContext(Tls.context(certificates.caCert(), false)).build();
        influxd = InfluxServer.startExtra(new LocalInfluxd.Options(false, cert.cert(), cert.key(), List.of()), token, trusting);
        admin = Admin.of(influxd.url(), token, certificates.caCert());
    }

    @AfterAll
    static void stop() {
        if (influxd != null) {
            influxd.destroy();
        }
    }

    private static ToolResult bucketmapper(Org org, String url, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("INFLUXDB_ORG", org.name(), "INFLUXDB_TOKEN", token));
        env.put("INFLUXDB_URL", url);
        return ToolResult.run(bucketmapper::new, env, args);
    }

    private static String viaLocalhost() {
        return "https://localhost:" + influxd.port();
    }

    @Test
    void aPrivateCaIsNotTrustedByTheSystemStore() {
        Org org = admin.createOrg("tls-system-" + UUID.randomUUID().toString().substring(0, 8));
        OrgState before = OrgState.of(admin.api(), org);
        ToolResult run = bucketmapper(org, influxd.url());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot reach InfluxDB at " + influxd.url() + ": TLS failure"), run.err());
        assertTrue(run.err().contains("not trusted") && run.err().contains("--ca-cert"), run.err());
        assertEquals(before, OrgState.of(admin.api(), org));
    }

    @Test
    void caCertTrustsThePrivateCa() {
        Org org = admin.createOrg("tls-ca-" + UUID.randomUUID().toString().substring(0, 8));
        ToolResult run = bucketmapper(org, influxd.url(), "--ca-cert", certificates.caCert().toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(Map.of("_monitoring", 1L, "_tasks", 1L), OrgState.of(admin.api(), org).physicalMappingsPerDatabase());
    }

    @Test
    void caCertStillChecksTheHostName() {
        Org org = admin.createOrg("tls-host-" + UUID.randomUUID().toString().substring(0, 8));
        ToolResult run = bucketmapper(org, viaLocalhost(), "--ca-cert", certificates.caCert().toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("TLS failure") && run.err().contains("not issued for localhost"), run.err());
    }

    /**
     * Also proves that --skip-verify is confined to its own run: JUnit may run this before or after
     * the host-name check above, and here a verifying run follows a skipping one in one process.
     */
    @Test
    void skipVerifyAcceptsAnyCertificateWarnsAndLeavesOtherRunsVerifying() {
        Org org = admin.createOrg("tls-skip-" + UUID.randomUUID().toString().substring(0, 8));
        ToolResult skipping = bucketmapper(org, viaLocalhost(), "--skip-verify");
        assertEquals(0, skipping.exitCode(), skipping.toString());
        assertTrue(skipping.err().contains("warning: --skip-verify"), skipping.err());
        assertEquals(Map.of("_monitoring", 1L, "_tasks", 1L), OrgState.of(admin.api(), org).physicalMappingsPerDatabase());

        ToolResult verifying = bucketmapper(org, viaLocalhost(), "--ca-cert", certificates.caCert().toString());
        assertEquals(3, verifying.exitCode(), verifying.toString());
        assertTrue(verifying.err().contains("TLS failure"), verifying.err());
    }
}

package influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's rules that need no server: database names InfluxQL can use, redaction, named permissions. */
class RulesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shop", "my app", "_monitoring", "roundtable_internal_", "caf\u00e9", "a.b", "x-y_z"})
    void mapsNamesInfluxqlCanUse(String name) {
        assertTrue(Dbrp.isValidDatabaseName(name));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "tab\there", "new\nline", "zero\u200bwidth"})
    void skipsNamesInfluxqlCannotUse(String name) {
        assertFalse(Dbrp.isValidDatabaseName(name));
    }

    @Test
    void theLongestDatabaseNameIsTheServersLimit() {
        assertTrue(Dbrp.isValidDatabaseName("a".repeat(Dbrp.MAX_DATABASE_BYTES)));
        assertFalse(Dbrp.isValidDatabaseName("a".repeat(Dbrp.MAX_DATABASE_BYTES + 1)));
        // Bytes, not characters, count: a two-byte character at the limit is one too many.
        assertFalse(Dbrp.isValidDatabaseName("\u00e9" + "a".repeat(Dbrp.MAX_DATABASE_BYTES - 1)));
    }

    @Test
    void redactsOurTokenAndAnyTokenAnAnswerCarries() {
        InfluxHttp http = new InfluxHttp(new Connection(URI.create("http://127.0.0.1:1"), "our-s3cr3t", Duration.ofSeconds(1),
                null, false), true, new PrintWriter(new StringWriter()));
        String redacted = http.redact("Token our-s3cr3t; {\"id\":\"1\",\"token\": \"minted-s3cr3t\"}");
        assertFalse(redacted.contains("our-s3cr3t"), redacted);
        assertFalse(redacted.contains("minted-s3cr3t"), redacted);
        assertTrue(redacted.contains("\"token\": \"<redacted>\""), redacted);
    }

    @Test
    void aForbiddenCallNamesThePermissionToGrant() {
        assertEquals("write:dbrp", RequiredPermission.of("POST", "/api/v2/dbrps"));
        assertEquals("read:tasks", RequiredPermission.of("GET", "/api/v2/tasks?orgID=1"));
        assertEquals("read:secrets", RequiredPermission.of("GET", "/api/v2/orgs/0a1b/secrets"));
        assertEquals("write:buckets", RequiredPermission.of("POST", "/api/v2/write?bucket=x"));
        assertEquals("read:buckets", RequiredPermission.of("POST", "/api/v2/query"));
    }
}

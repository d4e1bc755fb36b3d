package cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The shared options on their own: URL validation, environment fallbacks, and the token kept out of messages. */
class ToolOptionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://influx:8086, http://influx:8086",
        "http://influx:8086/, http://influx:8086",
        "HTTPS://Influx.example.com, https://Influx.example.com",
        "' http://127.0.0.1:8086 ', http://127.0.0.1:8086"})
    void acceptsAServerRoot(String given, String root) {
        assertEquals(root, ToolOptions.baseUrl(given).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"influx:8086", "localhost", "ftp://influx:21", "http://influx:8086/api/v2",
        "http://influx:8086/?org=x", "http://influx:8086/#top", "http:// bad host"})
    void rejectsAnythingButAServerRoot(String given) {
        UsageException e = assertThrows(UsageException.class, () -> ToolOptions.baseUrl(given));
        assertTrue(e.getMessage().startsWith("malformed URL '" + given + "'"), e.getMessage());
    }

    @Test
    void aFlagBeatsTheEnvironmentAndInfluxdbNamesBeatTheCliNames() {
        Map<String, String> env = Map.of("INFLUXDB_TOKEN", "from-env", "INFLUX_TOKEN", "cli-env", "INFLUX_ORG", "cli-org",
                "INFLUXDB_URL", "http://env:8086");
        Settings fromEnv = parse(env);
        assertEquals("from-env", fromEnv.token());
        assertEquals("cli-org", fromEnv.orgName());
        assertEquals("http://env:8086", fromEnv.url().toString());
        Settings flags = parse(env, "--token", "flag", "--url", "http://flag:8086");
        assertEquals("flag", flags.token());
        assertEquals("http://flag:8086", flags.url().toString());
    }

    @Test
    void anEmptyOrControlCharacterTokenIsAUsageError() {
        assertThrows(UsageException.class, () -> parse(Map.of("INFLUXDB_ORG", "o"), "--token", " "));
        assertThrows(UsageException.class, () -> parse(Map.of("INFLUXDB_ORG", "o"), "--token", "abc\u0007"));
        assertThrows(UsageException.class, () -> parse(Map.of("INFLUXDB_TOKEN", "t")));
    }

    @Test
    void settingsNeverShowTheToken() {
        Settings settings = parse(Map.of("INFLUXDB_TOKEN", "s3cr3t-token", "INFLUXDB_ORG", "o"));
        assertFalse(settings.toString().contains("s3cr3t-token"), settings.toString());
        assertFalse(settings.connection().toString().contains("s3cr3t-token"));
    }

    @Test
    void picocliMessagesNeverQuoteTheToken() {
        String[] args = {"--token", "s3cr3t-token", "--nope"};
        assertEquals("Unknown option: '--nope' after <redacted>",
                Cli.withoutTokens("Unknown option: '--nope' after s3cr3t-token", args));
        assertEquals("bad value <redacted>", Cli.withoutTokens("bad value s3cr3t-token", new String[] {"--token=s3cr3t-token"}));
    }

    @Test
    void theHelpFooterListsEveryExitCode() {
        String footer = String.join("\n", ExitCode.helpFooter());
        for (ExitCode exit : ExitCode.values()) {
            assertTrue(footer.contains(exit.code() + " "), footer);
        }
    }

    private static Settings parse(Map<String, String> env, String... args) {
        ToolOptions options = new ToolOptions();
        new CommandLine(options).parseArgs(args);
        return options.resolve(env);
    }
}

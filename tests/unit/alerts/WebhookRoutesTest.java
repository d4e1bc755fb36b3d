package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WEBHOOKS_YAML reader: the original's format read exactly, everything else refused in one line. */
class WebhookRoutesTest {
    private static final String SECRET_URL = "https://hooks.slack.com/services/T000/B000/secretsecretsecret";

    @Test
    void readsTheOriginalsFormatWithQuotesCommentsAndClustersFromChannels() {
        String yaml = """
                # routes for the status channels
                ---
                - webhook_url: https://hooks.example/a   # cluster from phalanx_host
                  channel: "#status-alpha"
                  phalanx_host: alpha.lsst.cloud
                -   channel: '#status-beta'
                    webhook_url: 'https://hooks.example/b#x'
                    phalanx_host:
                - webhook_url: "https://hooks.example/c"
                  channel: gamma
                  phalanx_env: gamma-env
                  phalanx_host: ignored.example
                """;
        List<WebhookRoutes.Route> routes = WebhookRoutes.parse(yaml, "WEBHOOKS_YAML").routes();
        assertEquals(List.of(
                new WebhookRoutes.Route("alpha.lsst.cloud", "#status-alpha", "https://hooks.example/a"),
                new WebhookRoutes.Route("beta", "#status-beta", "https://hooks.example/b#x"),
                new WebhookRoutes.Route("gamma-env", "gamma", "https://hooks.example/c")), routes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n# nothing\n", "[]", "---\n[]\n"})
    void emptyMeansNoRoutes(String yaml) {
        assertTrue(WebhookRoutes.parse(yaml, "WEBHOOKS_YAML").isEmpty());
    }

    // Named by number: the cases hold URL-shaped strings, and test output prints no URL.
    @ParameterizedTest(name = "malformed case {index}")
    @ValueSource(strings = {
        "webhook_url: " + SECRET_URL,                                          // a map, not a list
        "- {webhook_url: " + SECRET_URL + ", channel: a}",                     // flow style
        "- webhook_url: " + SECRET_URL + "\n  channel: #status-a\n",           // unquoted # starts a comment: no cluster
        "- channel: '#status-a'\n",                                           // no webhook_url
        "- webhook_url: ftp://hooks.slack.com/services/T000/B000/secretsecretsecret\n  channel: a\n", // not http(s)
        "- webhook_url: " + SECRET_URL + "\n  channel: a\n- webhook_url: " + SECRET_URL + "\n  channel: '#status-a'\n", // cluster twice
        "- webhook_url: " + SECRET_URL + "\n  channel: a\n  channel: b\n",     // key twice
        "- webhook_url: " + SECRET_URL + "\n    channel: a\n",                 // keys not lined up
        "- webhook_url: \"" + SECRET_URL + "\n  channel: a\n",                 // unterminated quote
        "- webhook_url: " + SECRET_URL + "\n\tchannel: a\n",                   // tab
        "- webhook_url: *anchor\n  channel: a\n",                              // YAML beyond the format
    })
    void malformedInputIsOneLineThatNeverEchoesAUrl(String yaml) {
        UsageException e = assertThrows(UsageException.class, () -> WebhookRoutes.parse(yaml, "WEBHOOKS_YAML"));
        assertTrue(e.getMessage().startsWith("WEBHOOKS_YAML line "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("secretsecret") || e.getMessage().contains("hooks.slack.com"), e.getMessage());
    }

    @Test
    void aRouteKeyChangesWithItsUrlAndNamesNoUrl() {
        WebhookRoutes.Route route = new WebhookRoutes.Route("alpha", "#a", SECRET_URL);
        String key = WebhookRoutes.secretKey("slack_notify_url", "0123456789abcdef", route);
        assertTrue(key.startsWith("slack_notify_url.alpha."), key);
        assertFalse(key.contains("secret"), key.replace("slack_notify_url", ""));
        assertTrue(WebhookRoutes.isRouteKey("slack_notify_url", key));
        assertFalse(WebhookRoutes.isRouteKey("slack_notify_url", "slack_notify_url"));
        assertFalse(WebhookRoutes.isRouteKey("slack_notify_url", "other.alpha.0123456789ab"));
        assertEquals(key, WebhookRoutes.secretKey("slack_notify_url", "0123456789abcdef", route));
        assertNotEquals(key, WebhookRoutes.secretKey("slack_notify_url", "0123456789abcdef",
                new WebhookRoutes.Route("alpha", "#a", SECRET_URL + "x")));
        assertFalse(route.toString().contains("hooks"), route.toString());
    }
}

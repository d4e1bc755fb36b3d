package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What a route edit asks of the secrets, in the words of the held line and of --check. */
class RouteSecretsTest {

    private static AlertTasks design(String yaml) {
        return new AlertTasks(FluxTemplates.bundled(), "1m", "1m", "30s", "slack_notify_url", "", "roundtable_internal_",
                85, 95, WebhookRoutes.parse(yaml, "WEBHOOKS_YAML"), "0a1b2c3d4e5f6a7b", "5m", "30m");
    }

    private static final String TWO = "- webhook_url: https://hooks.example/a\n  phalanx_host: alpha\n"
            + "- webhook_url: https://hooks.example/b\n  phalanx_host: beta\n";

    @Test
    void routesWhoseSecretsExistNeedNoWritesWhateverElseTheOrgKeeps() {
        Set<String> existing = new HashSet<>(design(TWO).routeKeys().values());
        existing.add("slack_notify_url");
        existing.add("someone_elses_secret");
        RouteSecrets same = RouteSecrets.compare(design(TWO), existing);
        assertFalse(same.needsWrites());
        assertEquals(2, same.present().size());
        assertEquals("", same.changes("slack_notify_url"));
    }

    @Test
    void aChangedWebhookIsOneChangeNotAnAdditionAndARemoval() {
        Set<String> existing = new HashSet<>(design(TWO).routeKeys().values());
        String edited = "- webhook_url: https://hooks.example/a2\n  phalanx_host: alpha\n"
                + "- webhook_url: https://hooks.example/g\n  phalanx_host: gamma\n";
        RouteSecrets routes = RouteSecrets.compare(design(edited), existing);
        assertTrue(routes.needsWrites());
        assertEquals("changes the webhook of cluster \"alpha\", adds a route for cluster \"gamma\", removes the route of cluster \"beta\"",
                routes.changes("slack_notify_url"));
    }

    @Test
    void aLeftoverSecretOfARoutedClusterIsNamedAsSuch() {
        Set<String> existing = new HashSet<>(design(TWO).routeKeys().values());
        String changedBeta = TWO.replace("hooks.example/b", "hooks.example/b2");
        existing.addAll(design(changedBeta).routeKeys().values());
        RouteSecrets routes = RouteSecrets.compare(design(changedBeta), existing);
        assertEquals("removes an unused webhook secret of cluster \"beta\"", routes.changes("slack_notify_url"));
    }

    @Test
    void withRoutesAMissingDefaultWebhookHoldsOnlyTheUnroutedAlertsAndWithoutRoutesChangesNothing() {
        Set<String> routesOnly = new HashSet<>(design(TWO).routeKeys().values());
        java.util.function.Function<AlertTasks, String> slackFlux = design -> design.alertTasks().stream()
                .map(ManagedTask::flux).reduce("", String::concat);
        String held = slackFlux.apply(design(TWO).withSecretsIn(java.util.Optional.of(routesOnly)));
        assertTrue(held.contains("\nwebhook = \"\"\n"), held);
        assertFalse(held.contains("secrets.get(key: \"slack_notify_url\")"), held);
        // Each of the three Slack tasks leaves out what no route takes.
        assertEquals(3, held.split(java.util.regex.Pattern.quote("default: webhook) != \"\")"), -1).length - 1, held);

        routesOnly.add("slack_notify_url");
        assertEquals(slackFlux.apply(design(TWO)), slackFlux.apply(design(TWO).withSecretsIn(java.util.Optional.of(routesOnly))));
        assertEquals(slackFlux.apply(design(TWO)), slackFlux.apply(design(TWO).withSecretsIn(java.util.Optional.empty())), "unknown");
        AlertTasks noRoutes = new AlertTasks(FluxTemplates.bundled(), "1m", "1m", "30s", "slack_notify_url", "", "roundtable_internal_",
                85, 95, WebhookRoutes.NONE, "0a1b2c3d4e5f6a7b", "5m", "30m");
        assertEquals(slackFlux.apply(noRoutes), slackFlux.apply(noRoutes.withSecretsIn(java.util.Optional.of(Set.of()))),
                "without routes a missing secret fails the runs until it exists");
    }
}

package alerts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The org's route secrets against the routes wanted: which to write, which no route reads any
 * more, and what that changes for each cluster, in the words the operator reads.
 */
public record RouteSecrets(List<WebhookRoutes.Route> missing, List<WebhookRoutes.Route> present, List<String> unused,
        Map<String, String> keys) {

    public static RouteSecrets compare(AlertTasks design, Set<String> existing) {
        Map<String, String> keys = design.routeKeys();
        List<WebhookRoutes.Route> missing = new ArrayList<>();
        List<WebhookRoutes.Route> present = new ArrayList<>();
        for (WebhookRoutes.Route route : design.routes().routes()) {
            (existing.contains(keys.get(route.cluster())) ? present : missing).add(route);
        }
        List<String> unused = existing.stream()
                .filter(key -> WebhookRoutes.isRouteKey(design.secretKey(), key) && !keys.containsValue(key)).sorted().toList();
        return new RouteSecrets(missing, present, unused, keys);
    }

    /** Whether the routes need a secret written or removed; a channel alone is in the tasks' Flux. */
    public boolean needsWrites() {
        return !missing.isEmpty() || !unused.isEmpty();
    }

    /** What the writes would do: "changes the webhook of cluster "a", adds a route for cluster "b"". */
    public String changes(String baseKey) {
        Set<String> removedClusters = new LinkedHashSet<>();
        unused.forEach(key -> removedClusters.add(WebhookRoutes.clusterOf(baseKey, key)));
        List<String> changes = new ArrayList<>();
        for (WebhookRoutes.Route route : missing) {
            boolean replaces = removedClusters.remove(route.cluster());
            changes.add((replaces ? "changes the webhook of" : "adds a route for") + " cluster \"" + route.cluster() + "\"");
        }
        Set<String> routed = new LinkedHashSet<>();
        present.forEach(route -> routed.add(route.cluster()));
        removedClusters.forEach(cluster -> changes.add((routed.contains(cluster) ? "removes an unused webhook secret of" : "removes the route of")
                + " cluster \"" + cluster + "\""));
        return String.join(", ", changes);
    }
}

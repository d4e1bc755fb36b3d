package alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import influx.Bucket;
import influx.InfluxApi;
import plan.Plan;

/**
 * taskmaker --check on the webhooks: whether each one takes the alerts sent to it, by the answers
 * the Slack tasks recorded, and whether each route can get any, by the clusters Telegraf reports.
 * Names routes by cluster and the default by its secret's key, never by URL.
 */
public final class WebhookHealth {
    private WebhookHealth() {}

    /** The latest answer to a post, per cluster ("" for alerts without one). */
    record Answer(Instant at, int status) {
        boolean taken() {
            return status / 100 == 2;
        }
    }

    public static void report(Plan health, InfluxApi api, String orgId, AlertTasks design, Optional<Set<String>> secretKeys,
            List<Bucket> applications) {
        FluxTemplates queries = FluxTemplates.bundled();
        Map<String, Answer> answers = new HashMap<>();
        for (Map<String, String> row : api.query(orgId, queries.render("check", "last_answers", Map.of("multiapp", Bucket.MULTIAPP)))) {
            answers.put(row.getOrDefault("cluster", ""), new Answer(Instant.parse(row.get("_time")), Integer.parseInt(row.get("_value"))));
        }
        Set<String> reporting = new TreeSet<>();
        if (!applications.isEmpty()) {
            List<FluxTemplates.Raw> buckets = applications.stream()
                    .map(bucket -> new FluxTemplates.Raw(FluxTemplates.stringLiteral(bucket.name()))).toList();
            api.query(orgId, queries.render("check", "clusters", Map.of("buckets", buckets)))
                    .forEach(row -> reporting.add(row.getOrDefault("_value", "")));
        }

        Set<String> routed = new TreeSet<>();
        for (WebhookRoutes.Route route : design.routes().routes()) {
            routed.add(route.cluster());
            List<String> problems = new ArrayList<>();
            latest(answers, Set.of(route.cluster())).flatMap(WebhookHealth::refusal).ifPresent(problems::add);
            if (!reporting.contains(route.cluster())) {
                problems.add("no application bucket has data of cluster \"" + route.cluster() + "\" from the last hour, so no"
                        + " alert goes to this route: name the cluster as Telegraf's cluster tag does");
            }
            health.check("webhook", route.cluster(), "", "the route of cluster \"" + route.cluster() + "\"" + taken(answers,
                    Set.of(route.cluster())), problems.isEmpty() ? null : String.join("; ", problems));
        }

        Set<String> unrouted = new TreeSet<>(answers.keySet());
        unrouted.addAll(reporting);
        unrouted.removeAll(routed);
        List<String> problems = new ArrayList<>();
        if (secretKeys.isPresent() && !secretKeys.get().contains(design.secretKey())) {
            problems.add((design.defaultWebhook() ? "the secret does not exist, so every run of the Slack tasks fails and no alert is posted"
                    : "the secret does not exist, so alerts of clusters without a route are held (while multiapp_ keeps them)"
                    + " until it does and taskmaker runs again")
                    + (unrouted.isEmpty() ? "" : "; clusters without a route: " + String.join(", ", unrouted.stream()
                            .map(cluster -> cluster.isEmpty() ? "(no cluster tag)" : "\"" + cluster + "\"").toList())));
        }
        latest(answers, unrouted).flatMap(WebhookHealth::refusal).ifPresent(problems::add);
        health.check("webhook", design.secretKey(), "", "the default, for " + (routed.isEmpty() ? "every cluster"
                : "clusters without a route") + taken(answers, unrouted), problems.isEmpty() ? null : String.join("; ", problems));
    }

    private static Optional<Answer> latest(Map<String, Answer> answers, Set<String> clusters) {
        return clusters.stream().map(answers::get).filter(answer -> answer != null)
                .max((a, b) -> a.at().compareTo(b.at()));
    }

    private static String taken(Map<String, Answer> answers, Set<String> clusters) {
        return latest(answers, clusters).filter(Answer::taken).map(answer -> "; its last post was taken at " + answer.at()).orElse("");
    }

    private static Optional<String> refusal(Answer answer) {
        if (answer.taken()) {
            return Optional.empty();
        }
        String why = answer.status() == 404 || answer.status() == 410
                ? "the webhook was revoked or its channel is gone: replace it"
                : "Slack is failing or rate-limiting; its alerts are posted again each minute";
        return Optional.of("Slack answered " + answer.status() + " to its last post, at " + answer.at() + ": " + why);
    }
}

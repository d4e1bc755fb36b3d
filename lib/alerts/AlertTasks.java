package alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import cli.UsageException;
import influx.Bucket;

/**
 * The tasks taskmaker keeps, rendered from templates/: two per application bucket, which record
 * events in the cross-application bucket, and three that post those (and full disks) to Slack.
 */
public record AlertTasks(FluxTemplates templates, String every, String alertEvery, String alertOffset,
        String secretKey, String channel, String hostBucket, double diskWarn, double diskDanger, WebhookRoutes routes,
        String orgId) {
    /** Where application tasks record events and Slack tasks remember what they sent. */
    public static final String MULTIAPP = "multiapp_";
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ns|us|ms|s|m|h|d|w))+");

    public AlertTasks {
        for (String duration : List.of(every, alertEvery, alertOffset)) {
            if (!DURATION.matcher(duration).matches()) {
                throw new UsageException("'" + duration + "' is not a Flux duration such as 30s, 1m or 1h30m");
            }
        }
        if (!(diskWarn > 0 && diskWarn < diskDanger && diskDanger <= 100)) {
            throw new UsageException("need 0 < --disk-warn < --disk-danger <= 100");
        }
    }

    /** The same design, once the host bucket is chosen from what the org holds. */
    public AlertTasks withHostBucket(String chosen) {
        return new AlertTasks(templates, every, alertEvery, alertOffset, secretKey, channel, chosen, diskWarn, diskDanger, routes, orgId);
    }

    /** The secret key of each route, by cluster: what the Slack tasks read and taskmaker keeps. */
    public Map<String, String> routeKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        routes.routes().forEach(route -> keys.put(route.cluster(), WebhookRoutes.secretKey(secretKey, orgId, route)));
        return keys;
    }

    /** The tasks that should exist for these application buckets: theirs, then the Slack tasks. */
    public List<ManagedTask> wanted(List<Bucket> applications) {
        List<ManagedTask> wanted = new ArrayList<>(applicationTasks(applications));
        wanted.addAll(alertTasks());
        return wanted;
    }

    /** The two tasks of each of these application buckets. */
    public List<ManagedTask> applicationTasks(List<Bucket> applications) {
        List<ManagedTask> wanted = new ArrayList<>();
        for (Bucket bucket : applications) {
            String app = ManagedTask.applicationName(bucket.name());
            // Spread the application tasks over the minute so they do not all start at once.
            FluxTemplates.Raw offset = new FluxTemplates.Raw(Math.floorMod(bucket.name().hashCode(), 60) + "s");
            for (String kind : List.of("restarts", "state_checks")) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("name", app + " " + kind);
                values.put("every", new FluxTemplates.Raw(every));
                values.put("offset", offset);
                values.put("application", bucket.name());
                values.put("bucket", bucket.name());
                values.put("multiapp", MULTIAPP);
                wanted.add(ManagedTask.of(kind, bucket.name(), app + " " + kind, templates.render("application", kind, values)));
            }
        }
        return wanted;
    }

    /** The tasks that post to Slack, one application or many. */
    public List<ManagedTask> alertTasks() {
        List<ManagedTask> wanted = new ArrayList<>();
        wanted.add(slackTask("restarts", "warning", true));
        wanted.add(slackTask("state_checks", "danger", false));
        Map<String, Object> disk = slackValues("_slack_notify_disk_checks");
        disk.put("host_bucket", hostBucket);
        disk.put("warn_percent", new FluxTemplates.Raw(Double.toString(diskWarn)));
        disk.put("danger_percent", new FluxTemplates.Raw(Double.toString(diskDanger)));
        wanted.add(ManagedTask.of("slack_notify_disk_checks", null, "_slack_notify_disk_checks",
                templates.render("slack", "notify_disk", disk)));
        return wanted;
    }

    /** A restart is posted once; a container in a bad state at most once an hour. */
    private ManagedTask slackTask(String measurement, String color, boolean oncePerEvent) {
        String name = "_slack_notify_" + measurement;
        Map<String, Object> values = slackValues(name);
        values.put("measurement", measurement);
        values.put("color", color);
        values.put("once_per_event", oncePerEvent);
        return ManagedTask.of("slack_notify_" + measurement, null, name, templates.render("slack", "notify_events", values));
    }

    private Map<String, Object> slackValues(String name) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("every", new FluxTemplates.Raw(alertEvery));
        values.put("offset", new FluxTemplates.Raw(alertOffset));
        values.put("multiapp", MULTIAPP);
        values.put("secret_key", secretKey);
        values.put("channel", channel);
        // Literals made here: the template gets each route as ready Flux, the URL's secret key, never the URL.
        List<Map<String, FluxTemplates.Raw>> routeValues = new ArrayList<>();
        Map<String, String> keys = routeKeys();
        for (WebhookRoutes.Route route : routes.routes()) {
            routeValues.add(Map.of(
                    "cluster", new FluxTemplates.Raw(FluxTemplates.stringLiteral(route.cluster())),
                    "key", new FluxTemplates.Raw(FluxTemplates.stringLiteral(keys.get(route.cluster()))),
                    "channel", new FluxTemplates.Raw(FluxTemplates.stringLiteral(route.channel().isEmpty() ? channel : route.channel()))));
        }
        values.put("routes", routeValues);
        return values;
    }
}

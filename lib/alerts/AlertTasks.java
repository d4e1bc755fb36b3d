package alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cli.UsageException;
import influx.Bucket;
import influx.Durations;

/**
 * The tasks taskmaker keeps, rendered from templates/: two that watch every application bucket and
 * record events in the cross-application bucket, and three that post those (and full disks) to Slack.
 */
public record AlertTasks(FluxTemplates templates, String every, String alertEvery, String alertOffset,
        String secretKey, String channel, String hostBucket, double diskWarn, double diskDanger, WebhookRoutes routes,
        String orgId, String pendingGrace, String restartPeriod, boolean defaultWebhook) {
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ns|us|ms|s|m|h|d|w))+");
    private static final Pattern WHOLE_SECONDS = Pattern.compile("([0-9]+)(s|m|h|d|w)");
    /**
     * The restart alert finds a container's last message, and the restarts since, in multiapp_,
     * which may keep only an hour (tokenmaker made it so before it made 6h): the period plus the time
     * a restart may take to be recorded must fit.
     */
    private static final long LONGEST_RESTART_PERIOD = 45 * 60;
    /** How far before the grace period a Pending pod is looked for: several Telegraf intervals. */
    private static final long PENDING_LOOKBACK = 5 * 60;
    /** The tasks that record events in multiapp_, as the Slack tasks' names say what they post. */
    public static final String RECORD_PREFIX = "_record_";
    /** The one task that records restarts and containers in a bad state: one read of each bucket serves both. */
    public static final String RECORD_KIND = "events";
    /** The record tasks of earlier versions, one for each of those two: the events task replaces them. */
    public static final List<String> EARLIER_RECORD_KINDS = List.of("restarts", "state_checks");

    /** A design whose default webhook secret exists, or is not known to be missing. */
    public AlertTasks(FluxTemplates templates, String every, String alertEvery, String alertOffset, String secretKey, String channel,
            String hostBucket, double diskWarn, double diskDanger, WebhookRoutes routes, String orgId, String pendingGrace,
            String restartPeriod) {
        this(templates, every, alertEvery, alertOffset, secretKey, channel, hostBucket, diskWarn, diskDanger, routes, orgId, pendingGrace,
                restartPeriod, true);
    }

    public AlertTasks {
        for (String duration : List.of(every, alertEvery, alertOffset)) {
            if (!DURATION.matcher(duration).matches()) {
                throw new UsageException("'" + duration + "' is not a Flux duration such as 30s, 1m or 1h30m");
            }
        }
        if (!(diskWarn > 0 && diskWarn < diskDanger && diskDanger <= 100)) {
            throw new UsageException("need 0 < --disk-warn < --disk-danger <= 100");
        }
        long grace = seconds("--pending-grace", pendingGrace);
        if (grace < 1) {
            throw new UsageException("--pending-grace must be at least 1s");
        }
        long period = seconds("--restart-period", restartPeriod);
        if (period < 1 || period > LONGEST_RESTART_PERIOD) {
            throw new UsageException("--restart-period must be from 1s to 45m: the alert reads it back from "
                    + Bucket.MULTIAPP + ", which may keep only one hour (tokenmaker's before 6h)");
        }
    }

    /** A duration of whole seconds, such as 5m or 1h30m, in seconds. */
    static long seconds(String option, String duration) {
        Matcher part = WHOLE_SECONDS.matcher(duration);
        long seconds = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            long unit = switch (part.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3_600;
                case "d" -> 86_400;
                default -> 604_800;
            };
            try {
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(part.group(1)), unit));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new UsageException(option + " '" + duration + "' is too long");
            }
            end = part.end();
        }
        if (end == 0 || end != duration.length()) {
            throw new UsageException(option + " '" + duration + "' is not a duration of whole seconds such as 90s, 5m or 1h30m");
        }
        return seconds;
    }

    /** The same design, once the host bucket is chosen from what the org holds. */
    public AlertTasks withHostBucket(String chosen) {
        return new AlertTasks(templates, every, alertEvery, alertOffset, secretKey, channel, chosen, diskWarn, diskDanger, routes, orgId,
                pendingGrace, restartPeriod, defaultWebhook);
    }

    /**
     * The same design with only the routes whose secrets exist: what the Slack tasks may read while
     * the others wait for a token that may write secrets.
     */
    public AlertTasks withRoutesIn(java.util.Set<String> secretKeys) {
        WebhookRoutes kept = new WebhookRoutes(routes.routes().stream()
                .filter(route -> secretKeys.contains(WebhookRoutes.secretKey(secretKey, orgId, route))).toList());
        return new AlertTasks(templates, every, alertEvery, alertOffset, secretKey, channel, hostBucket, diskWarn, diskDanger, kept, orgId,
                pendingGrace, restartPeriod, defaultWebhook);
    }

    /**
     * The same design for the org's secrets, if known. With routes, an org without the default
     * webhook's secret gets Slack tasks that post the routed clusters' alerts and hold the others,
     * instead of failing every run on the missing secret (a run reads it before posting anything);
     * held alerts are posted once the secret exists and taskmaker has run again, if still within the
     * look-back. Without routes the tasks fail until the secret exists, and then post at once.
     */
    public AlertTasks withSecretsIn(java.util.Optional<java.util.Set<String>> secretKeys) {
        boolean missing = secretKeys.isPresent() && !secretKeys.get().contains(secretKey);
        return new AlertTasks(templates, every, alertEvery, alertOffset, secretKey, channel, hostBucket, diskWarn, diskDanger, routes, orgId,
                pendingGrace, restartPeriod, !(missing && !routes.isEmpty()));
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

    /**
     * The task that watches these application buckets, all of them in one run: a task run has a
     * fixed cost, paid per task and per minute, that reading one more bucket in a run is not.
     */
    public List<ManagedTask> applicationTasks(List<Bucket> applications) {
        List<FluxTemplates.Raw> names = applications.stream().map(bucket -> new FluxTemplates.Raw(FluxTemplates.stringLiteral(bucket.name())))
                .toList();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", RECORD_PREFIX + RECORD_KIND);
        values.put("every", new FluxTemplates.Raw(every));
        values.put("offset", new FluxTemplates.Raw("0s"));
        values.put("applications", names);
        values.put("multiapp", Bucket.MULTIAPP);
        long grace = seconds("--pending-grace", pendingGrace);
        values.put("grace", new FluxTemplates.Raw(Durations.literal(grace)));
        values.put("pending_since", new FluxTemplates.Raw(Durations.literal(grace + PENDING_LOOKBACK)));
        return List.of(ManagedTask.of(RECORD_KIND, null, RECORD_PREFIX + RECORD_KIND, templates.render("application", RECORD_KIND, values)));
    }

    /** The tasks that post to Slack, one application or many. */
    public List<ManagedTask> alertTasks() {
        List<ManagedTask> wanted = new ArrayList<>();
        Map<String, Object> restarts = slackValues("_slack_notify_restarts");
        restarts.put("period", new FluxTemplates.Raw(Durations.literal(seconds("--restart-period", restartPeriod))));
        wanted.add(ManagedTask.of("slack_notify_restarts", null, "_slack_notify_restarts",
                templates.render("slack", "notify_restarts", restarts)));
        wanted.add(slackTask("state_checks", "danger"));
        Map<String, Object> disk = slackValues("_slack_notify_disk_checks");
        disk.put("host_bucket", hostBucket);
        disk.put("warn_percent", new FluxTemplates.Raw(Double.toString(diskWarn)));
        disk.put("danger_percent", new FluxTemplates.Raw(Double.toString(diskDanger)));
        wanted.add(ManagedTask.of("slack_notify_disk_checks", null, "_slack_notify_disk_checks",
                templates.render("slack", "notify_disk", disk)));
        return wanted;
    }

    /** A container in a bad state is posted at most once an hour. */
    private ManagedTask slackTask(String measurement, String color) {
        String name = "_slack_notify_" + measurement;
        Map<String, Object> values = slackValues(name);
        values.put("measurement", measurement);
        values.put("color", color);
        return ManagedTask.of("slack_notify_" + measurement, null, name, templates.render("slack", "notify_events", values));
    }

    private Map<String, Object> slackValues(String name) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("every", new FluxTemplates.Raw(alertEvery));
        values.put("offset", new FluxTemplates.Raw(alertOffset));
        values.put("multiapp", Bucket.MULTIAPP);
        // None: the org has no default webhook (see withSecretsIn).
        values.put("secret_key", defaultWebhook ? secretKey : null);
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

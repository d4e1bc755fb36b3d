import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import alerts.AlertTasks;
import alerts.FluxTemplates;
import alerts.ManagedTask;
import alerts.WebhookRoutes;
import influx.Bucket;

/**
 * Tasks that earlier taskmakers made, rendered from their templates (kept in tests/data) with the
 * attributes they gave them: what an installation that upgrades already has, and the "before" of
 * the benchmarks. The first two made two tasks per application bucket, named as the original Python
 * tool named them ("Shop restarts").
 */
public enum EarlierTasks {
    /** Before the alerts followed what Telegraf really writes: its Slack tasks knew no routes. */
    FIRST("templates-before"),
    /** The last release with one restarts and one state_checks task per application bucket. */
    PER_APPLICATION("templates-per-app"),
    /** The release whose two record tasks watched every application bucket, reading each series as a table of its own. */
    TWO_TASKS("templates-two-tasks");

    private final Path templates;

    EarlierTasks(String folder) {
        templates = Path.of("tests", "data", folder);
    }

    public List<ManagedTask> wanted(List<String> applications, String every, String alertEvery, String alertOffset, String channel) {
        FluxTemplates flux = FluxTemplates.from(templates);
        List<ManagedTask> wanted = new ArrayList<>();
        if (this == TWO_TASKS) {
            // Its Slack tasks are today's.
            wanted.addAll(recordTasks(flux, applications, every));
            wanted.addAll(design(FluxTemplates.bundled(), every, alertEvery, alertOffset, channel).alertTasks());
            return wanted;
        }
        for (String bucket : applications) {
            String app = displayName(bucket);
            for (String kind : AlertTasks.EARLIER_RECORD_KINDS) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("name", app + " " + kind);
                values.put("every", new FluxTemplates.Raw(every));
                values.put("offset", new FluxTemplates.Raw(Math.floorMod(bucket.hashCode(), 60) + "s"));
                values.put("application", bucket);
                values.put("bucket", bucket);
                values.put("multiapp", Bucket.MULTIAPP);
                if (this == PER_APPLICATION && kind.equals("state_checks")) {
                    values.put("grace", new FluxTemplates.Raw("5m"));
                    values.put("pending_since", new FluxTemplates.Raw("10m"));
                }
                wanted.add(ManagedTask.of(kind, bucket, app + " " + kind, flux.render("application", kind, values)));
            }
        }
        if (this == PER_APPLICATION) {
            // Its Slack tasks are today's.
            wanted.addAll(design(FluxTemplates.bundled(), every, alertEvery, alertOffset, channel).alertTasks());
            return wanted;
        }
        for (String measurement : AlertTasks.EARLIER_RECORD_KINDS) {
            Map<String, Object> values = slackValues("_slack_notify_" + measurement, alertEvery, alertOffset, channel);
            values.put("measurement", measurement);
            values.put("color", measurement.equals("restarts") ? "warning" : "danger");
            values.put("once_per_event", measurement.equals("restarts"));
            wanted.add(ManagedTask.of("slack_notify_" + measurement, null, "_slack_notify_" + measurement,
                    flux.render("slack", "notify_events", values)));
        }
        Map<String, Object> disk = slackValues("_slack_notify_disk_checks", alertEvery, alertOffset, channel);
        disk.put("host_bucket", "roundtable_internal_");
        disk.put("warn_percent", new FluxTemplates.Raw("85.0"));
        disk.put("danger_percent", new FluxTemplates.Raw("95.0"));
        wanted.add(ManagedTask.of("slack_notify_disk_checks", null, "_slack_notify_disk_checks",
                flux.render("slack", "notify_disk", disk)));
        return wanted;
    }

    /**
     * The two tasks that recorded restarts and bad states, each watching every application bucket,
     * as the versions before the events task made them from these templates (grace 5m).
     */
    public static List<ManagedTask> recordTasks(FluxTemplates flux, List<String> applications, String every) {
        List<FluxTemplates.Raw> names = applications.stream().map(name -> new FluxTemplates.Raw(FluxTemplates.stringLiteral(name))).toList();
        List<ManagedTask> tasks = new ArrayList<>();
        for (String kind : AlertTasks.EARLIER_RECORD_KINDS) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("name", AlertTasks.RECORD_PREFIX + kind);
            values.put("every", new FluxTemplates.Raw(every));
            values.put("offset", new FluxTemplates.Raw("0s"));
            values.put("applications", names);
            values.put("multiapp", Bucket.MULTIAPP);
            if (kind.equals("state_checks")) {
                values.put("grace", new FluxTemplates.Raw("5m"));
                values.put("pending_since", new FluxTemplates.Raw("10m"));
            }
            tasks.add(ManagedTask.of(kind, null, AlertTasks.RECORD_PREFIX + kind, flux.render("application", kind, values)));
        }
        return tasks;
    }

    /** The original tool's display name of an application (Python's str.capitalize): "myApp" is "Myapp". */
    public static String displayName(String bucket) {
        if (bucket.isEmpty()) {
            return bucket;
        }
        int first = bucket.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(bucket.substring(Character.charCount(first)).toLowerCase(Locale.ROOT)).toString();
    }

    /** taskmaker's design with its defaults, from these templates. */
    private static AlertTasks design(FluxTemplates templates, String every, String alertEvery, String alertOffset, String channel) {
        return new AlertTasks(templates, every, alertEvery, alertOffset, "slack_notify_url", channel, "roundtable_internal_", 85, 95,
                WebhookRoutes.NONE, "", "5m", "30m");
    }

    private static Map<String, Object> slackValues(String name, String every, String offset, String channel) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("every", new FluxTemplates.Raw(every));
        values.put("offset", new FluxTemplates.Raw(offset));
        values.put("multiapp", Bucket.MULTIAPP);
        values.put("secret_key", "slack_notify_url");
        values.put("channel", channel);
        return values;
    }
}

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import alerts.FluxTemplates;
import alerts.ManagedTask;
import influx.Bucket;

/**
 * The tasks the previous taskmaker made (before its alerts followed what Telegraf really writes),
 * rendered from its templates, kept in tests/data/templates-before with the attributes it gave them:
 * what an installation that upgrades already has, and the "before" of tests/taskcpu.java.
 */
public final class EarlierTasks {
    public static final Path TEMPLATES = Path.of("tests", "data", "templates-before");

    private EarlierTasks() {}

    public static List<ManagedTask> wanted(List<String> applications, String every, String alertEvery, String alertOffset,
            String channel) {
        FluxTemplates templates = FluxTemplates.from(TEMPLATES);
        List<ManagedTask> wanted = new ArrayList<>();
        for (String bucket : applications) {
            String app = ManagedTask.applicationName(bucket);
            for (String kind : List.of("restarts", "state_checks")) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("name", app + " " + kind);
                values.put("every", new FluxTemplates.Raw(every));
                values.put("offset", new FluxTemplates.Raw(Math.floorMod(bucket.hashCode(), 60) + "s"));
                values.put("application", bucket);
                values.put("bucket", bucket);
                values.put("multiapp", Bucket.MULTIAPP);
                wanted.add(ManagedTask.of(kind, bucket, app + " " + kind, templates.render("application", kind, values)));
            }
        }
        for (String measurement : List.of("restarts", "state_checks")) {
            Map<String, Object> values = slackValues("_slack_notify_" + measurement, alertEvery, alertOffset, channel);
            values.put("measurement", measurement);
            values.put("color", measurement.equals("restarts") ? "warning" : "danger");
            values.put("once_per_event", measurement.equals("restarts"));
            wanted.add(ManagedTask.of("slack_notify_" + measurement, null, "_slack_notify_" + measurement,
                    templates.render("slack", "notify_events", values)));
        }
        Map<String, Object> disk = slackValues("_slack_notify_disk_checks", alertEvery, alertOffset, channel);
        disk.put("host_bucket", "roundtable_internal_");
        disk.put("warn_percent", new FluxTemplates.Raw("85.0"));
        disk.put("danger_percent", new FluxTemplates.Raw("95.0"));
        wanted.add(ManagedTask.of("slack_notify_disk_checks", null, "_slack_notify_disk_checks",
                templates.render("slack", "notify_disk", disk)));
        return wanted;
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

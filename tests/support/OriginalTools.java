import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import influx.InfluxApi;
import influx.Org;

/**
 * What the latest release of the original Python tools (lsst-sqre/rubin-influx-tools) leaves in
 * an org, made the way it makes it, for migration tests. Read from its source: its tokenmaker's
 * grants, its taskmaker's buckets (multiapp_ and alerted_ with one hour's retention, webhooks_
 * kept forever and rebuilt from WEBHOOKS_YAML with one point per route), and its tasks: per
 * application "<App> restarts", "<App> state_checks" and "<App> cpu_checks" every 2m30s, and
 * "_slack_notify_<kind>s" every 5m with fixed offsets. Their Flux has the original's shape: the
 * option v record, the hard-coded org "square" in to(), routes looked up in webhooks_ by the
 * row's cluster with "roundtable.lsst.cloud" as the default, and alerts remembered in alerted_.
 */
public final class OriginalTools {
    public static final String TOKEN_DESCRIPTION = "Token for task/alert creation";
    /** Its tokenmaker grants read and write on these, each scoped by orgID alone. */
    public static final List<String> TOKEN_RESOURCE_TYPES = List.of("buckets", "checks", "orgs", "tasks",
            "notificationRules", "notificationEndpoints");
    public static final String DEFAULT_CLUSTER = "roundtable.lsst.cloud";
    /** Slack task kinds with their schedule offsets, as its taskmaker's timing table has them (every 5m). */
    static final Map<String, String> SLACK_OFFSETS = Map.of("restart", "30s", "disk_check", "56s", "state_check", "17s",
            "cpu_check", "43s");
    /** Kinds that also get one task per application (every 2m30s, offsets 0s, 1s, ... by application). */
    static final List<String> APPLICATION_KINDS = List.of("restart", "state_check", "cpu_check");

    private OriginalTools() {}

    /** One WEBHOOKS_YAML entry as the original reads it. */
    public record Webhook(String url, String channel, String phalanxHost) {
        /** The cluster the original files the route under: phalanx_host, else the channel. */
        String cluster() {
            String bare = channel.startsWith("#") ? channel.substring(1) : channel;
            return phalanxHost != null && !phalanxHost.isEmpty() ? phalanxHost : bare;
        }

        String yaml() {
            return "- webhook_url: " + url + "\n  channel: \"" + channel + "\"\n  phalanx_host: "
                    + (phalanxHost == null ? "" : phalanxHost) + "\n";
        }
    }

    /** The routes as the WEBHOOKS_YAML environment variable of the original holds them. */
    public static String webhooksYaml(List<Webhook> webhooks) {
        StringBuilder yaml = new StringBuilder();
        webhooks.forEach(webhook -> yaml.append(webhook.yaml()));
        return yaml.toString();
    }

    /** The token its tokenmaker makes, for the operator's user: read and write on six types, orgID-scoped. */
    public static String token(InfluxApi operator, Org org) {
        JsonArray grants = Json.array();
        for (String type : TOKEN_RESOURCE_TYPES) {
            for (String action : List.of("read", "write")) {
                grants.add(Json.object().add("action", action).add("resource", Json.object().add("orgID", org.id()).add("type", type)));
            }
        }
        JsonObject body = Json.object().add("description", TOKEN_DESCRIPTION).add("orgID", org.id()).add("permissions", grants);
        return operator.http().createOnce("/api/v2/authorizations", body).asObject().getString("token", "");
    }

    /** Everything its taskmaker makes on one run, for these application buckets (which must exist). */
    public static Map<String, String> install(Admin admin, Org org, List<String> applications, List<Webhook> webhooks) {
        InfluxApi api = admin.api();
        webhooksBucket(admin, org, webhooks);
        for (String name : List.of("multiapp_", "alerted_")) {
            JsonObject body = Json.object().add("description", "K8s multiple apps tracking bucket").add("name", name)
                    .add("orgID", org.id()).add("retentionRules", Json.array().add(Json.object()
                            .add("everySeconds", 3600).add("shardGroupDurationSeconds", 3600).add("type", "expire")));
            api.http().createOnce("/api/v2/buckets", body);
        }
        Map<String, String> tasks = new LinkedHashMap<>();
        for (String kind : List.of("restart", "disk_check", "state_check", "cpu_check")) {
            String name = "_slack_notify_" + kind + "s";
            tasks.put(name, createTask(api, org, name, slackFlux(kind, name, "5m", SLACK_OFFSETS.get(kind))));
            if (APPLICATION_KINDS.contains(kind)) {
                int offset = 0;
                for (String application : applications) {
                    String taskName = capitalize(application) + " " + kind + "s";
                    tasks.put(taskName, createTask(api, org, taskName, applicationFlux(kind, taskName, application, offset++ + "s")));
                }
            }
        }
        return tasks;
    }

    /** webhooks_: kept forever, one point per route: measurement webhook, tags channel and cluster, field url. */
    static void webhooksBucket(Admin admin, Org org, List<Webhook> webhooks) {
        InfluxApi api = admin.api();
        JsonObject body = Json.object().add("description", "Webhook channel destinations").add("name", "webhooks_")
                .add("orgID", org.id()).add("retentionRules", Json.array().add(Json.object().add("everySeconds", 0).add("type", "expire")));
        api.http().createOnce("/api/v2/buckets", body);
        long now = Instant.now().getEpochSecond();
        List<String> lines = new ArrayList<>();
        for (Webhook webhook : webhooks) {
            String channel = webhook.channel().startsWith("#") ? webhook.channel().substring(1) : webhook.channel();
            lines.add("webhook,channel=" + channel + ",cluster=" + webhook.cluster() + " url=\"" + webhook.url() + "\" " + now);
        }
        if (!lines.isEmpty()) {
            admin.write(org.id(), "webhooks_", String.join("\n", lines));
        }
    }

    private static String createTask(InfluxApi api, Org org, String name, String flux) {
        JsonObject body = Json.object().add("description", name).add("org", org.name()).add("orgID", org.id())
                .add("status", "active").add("flux", flux);
        return api.http().createOnce("/api/v2/tasks", body).asObject().getString("id", "");
    }

    /** Python's str.capitalize, as the original names its tasks. */
    static String capitalize(String name) {
        return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String header(String name, String every, String offset, String vBucket) {
        return "option v = {bucket: \"" + vBucket + "\", timeRangeStart: -1h, timeRangeStop: now(), windowPeriod: 10000ms}\n\n"
                + "option task = {name: \"" + name + "\", every: " + every + ", offset: " + offset + "}\n\n";
    }

    /** A per-application task: reads the application's bucket and writes its findings to multiapp_ in org "square". */
    static String applicationFlux(String kind, String name, String application, String offset) {
        String body = switch (kind) {
            case "restart" -> """
                    from(bucket: "%1$s")
                        |> range(start: -5m)
                        |> filter(fn: (r) => r["_measurement"] == "kubernetes_pod_container")
                        |> filter(fn: (r) => r["_field"] == "restarts_total")
                        |> group(columns: ["_measurement", "_field", "container_name", "pod_name", "cluster"])
                        |> drop(columns: ["_start", "_stop", "host", "namespace"])
                        |> aggregateWindow(every: 10s, fn: max, createEmpty: false)
                        |> difference(columns: ["_value"])
                        |> filter(fn: (r) => r._value != 0)
                        |> map(fn: (r) => ({_time: r._time, _measurement: r._measurement, _field: "differential_restarts",
                            _value: int(v: r._value), cluster: r.cluster, container_name: r.container_name, application: "%1$s",
                            message: "Restart(s) for ${r.cluster}/%1$s/${r.pod_name} (${r.container_name}) at ${r._time}: ${r._value}",
                            pod_name: r.pod_name}))
                        |> to(bucket: "multiapp_", org: "square")
                    """;
            case "state_check" -> """
                    from(bucket: "%1$s")
                        |> range(start: -5m)
                        |> filter(fn: (r) => r["_measurement"] == "kubernetes_pod_container")
                        |> filter(fn: (r) => r["_field"] == "state_code" or r["_field"] == "state_reason")
                        |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
                        |> filter(fn: (r) => exists r.state_code and r.state_code != 0)
                        |> map(fn: (r) => ({r with _field: "pod_state", _value: r.state_code, application: "%1$s", alerted: false,
                            message: "${r.cluster}/%1$s/${r.pod_name} (${r.container_name}) at ${string(v: r._time)}: state ${r.state}"}))
                        |> to(bucket: "multiapp_", org: "square")
                    """;
            case "cpu_check" -> """
                    from(bucket: "%1$s")
                        |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
                        |> filter(fn: (r) => r["_measurement"] == "kubernetes_pod_container")
                        |> filter(fn: (r) => r["_field"] == "cpu_usage_nanocores" or r["_field"] == "resource_limits_millicpu_units")
                        |> drop(columns: ["_start", "_stop", "host", "node_name", "namespace"])
                        |> map(fn: (r) => ({r with application_name: "%1$s"}))
                        |> group(columns: ["pod_name", "container_name", "cluster", "_measurement", "application_name", "_field"])
                        |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
                        |> filter(fn: (r) => exists r.resource_limits_millicpu_units and exists r.cpu_usage_nanocores)
                        |> map(fn: (r) => ({r with _field: "cpu_pct",
                            _value: 100.0 * float(v: r.cpu_usage_nanocores) / (float(v: r.resource_limits_millicpu_units) * 1000000.0)}))
                        |> aggregateWindow(every: v.windowPeriod, fn: mean, createEmpty: false)
                        |> to(bucket: "multiapp_", org: "square")
                    """;
            default -> throw new IllegalArgumentException(kind);
        };
        return header(name, "2m30s", offset, "_monitoring") + String.format(body, application);
    }

    /** A Slack task: each row's route from webhooks_ by cluster, skip what alerted_ holds, record what it posted there. */
    static String slackFlux(String kind, String name, String every, String offset) {
        String source = kind.equals("disk_check") ? "monitoring" : "multiapp_";
        String selection = switch (kind) {
            case "restart" -> """
                        |> filter(fn: (r) => r["_measurement"] == "kubernetes_pod_container")
                        |> filter(fn: (r) => r["_field"] == "differential_restarts")
                        |> group(columns: ["_time"])
                        |> filter(fn: (r) => r._value != 0)
                    """;
            case "state_check" -> """
                        |> filter(fn: (r) => r._measurement == "kubernetes_pod_container")
                        |> filter(fn: (r) => r._field == "pod_state")
                        |> group(columns: ["_time"])
                    """;
            case "cpu_check" -> """
                        |> filter(fn: (r) => r["_measurement"] == "kubernetes_pod_container")
                        |> filter(fn: (r) => r["_field"] == "cpu_pct")
                        |> group(columns: ["_time"])
                        |> filter(fn: (r) => r._value > 90)
                    """;
            case "disk_check" -> """
                        |> filter(fn: (r) => r["_measurement"] == "disk")
                        |> filter(fn: (r) => r["_field"] == "used_percent")
                        |> group(columns: ["_time"])
                        |> filter(fn: (r) => r._value > 85)
                        |> map(fn: (r) => ({r with message: "${r.cluster}/${r.host} ${r.path}: ${r._value}% used"}))
                    """;
            default -> throw new IllegalArgumentException(kind);
        };
        return "import \"slack\"\n\n" + header(name, every, offset, kind.equals("disk_check") ? "monitoring" : "_monitoring")
                + "default_cluster = \"" + DEFAULT_CLUSTER + "\"\n\n"
                + """
                needs_alert = (msg) => {
                    record = from(bucket: "alerted_")
                        |> range(start: -1h)
                        |> filter(fn: (r) => r.message == msg)
                        |> findRecord(idx: 0, fn: (key) => key.message == msg)

                    return if exists record.message then false else true
                }

                wh_rec = (cluster) => {
                    default_rec = from(bucket: "webhooks_")
                        |> range(start: 0)
                        |> filter(fn: (r) => r["_measurement"] == "webhook")
                        |> findRecord(idx: 0, fn: (key) => key.cluster == default_cluster)
                    record = from(bucket: "webhooks_")
                        |> range(start: 0)
                        |> filter(fn: (r) => r["_measurement"] == "webhook")
                        |> findRecord(idx: 0, fn: (key) => key.cluster == cluster)

                    return if exists record then record else default_rec
                }

                """
                + "from(bucket: \"" + source + "\")\n"
                + "    |> range(start: -2m)\n"
                + "    |> map(fn: (r) => ({r with channel: wh_rec(cluster: r.cluster).channel}))\n"
                + "    |> map(fn: (r) => ({r with webhook_url: wh_rec(cluster: r.cluster)._value}))\n"
                + selection
                + """
                    |> filter(fn: (r) => needs_alert(msg: r.message))
                    |> map(fn: (r) => ({r with slack_ret: slack.message(text: r.message, color: "danger", channel: r.channel,
                        url: r.webhook_url)}))
                    |> to(bucket: "alerted_", org: "square")
                    |> yield()
                """;
    }
}

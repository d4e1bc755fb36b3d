///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A CronJob run is short: the C1 compiler alone and the serial collector start and finish sooner (see README, Performance).
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
//DESCRIPTION Keeps restart and pod-state tasks for every Kubernetes application bucket of an InfluxDB 2.x organisation, with Slack alerts sent once per event.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/*.java
//FILES templates/=templates/*.stg

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "taskmaker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Every bucket whose name neither starts nor ends with '_' is a Kubernetes application. "
                + "For each, taskmaker keeps the tasks '<App> restarts' and '<App> state_checks', which "
                + "record restarts and containers not running in the bucket multiapp_; and it keeps the "
                + "Slack tasks that alert on those, and on the monitoring host's disk space, once each.",
        footer = {"", "Exit codes: 0 done, 1 an action failed (or --check found a problem), 2 usage error, 3 server unreachable or token refused."})
public class taskmaker extends ToolCommand {
    static final String MULTIAPP = "multiapp_";
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ns|us|ms|s|m|h|d|w))+");

    @Option(names = "--prune", description = "delete the tasks of application buckets that no longer exist")
    boolean prune;

    @Option(names = "--check", description = "report tasks that are missing, inactive, or whose last run failed; change nothing")
    boolean check;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "1m",
            description = "schedule of the application tasks (default ${DEFAULT-VALUE}); offsets are spread over a minute")
    String every;

    @Option(names = "--alert-every", paramLabel = "DURATION", defaultValue = "1m",
            description = "schedule of the Slack tasks (default ${DEFAULT-VALUE})")
    String alertEvery;

    @Option(names = "--alert-offset", paramLabel = "DURATION", defaultValue = "30s",
            description = "offset of the Slack tasks (default ${DEFAULT-VALUE})")
    String alertOffset;

    @Option(names = "--secret-key", paramLabel = "KEY", defaultValue = "slack_notify_url",
            description = "InfluxDB secret holding the Slack webhook URL (default ${DEFAULT-VALUE})")
    String secretKey;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "",
            description = "Slack channel to post to (default: the webhook's own)")
    String channel;

    @Option(names = "--host-bucket", paramLabel = "BUCKET", defaultValue = "roundtable_internal_",
            description = "bucket with the monitoring host's disk measurements (default ${DEFAULT-VALUE})")
    String hostBucket;

    @Option(names = "--disk-warn", paramLabel = "PERCENT", defaultValue = "85",
            description = "disk use that warns (default ${DEFAULT-VALUE})")
    double diskWarn;

    @Option(names = "--disk-danger", paramLabel = "PERCENT", defaultValue = "95",
            description = "disk use that is danger (default ${DEFAULT-VALUE})")
    double diskDanger;

    @Option(names = "--template-dir", paramLabel = "DIR", description = "use these Flux templates instead of the packaged ones")
    Path templateDir;

    public taskmaker() {
        this(System.getenv());
    }

    public taskmaker(Map<String, String> env) {
        super(env);
    }

    public static void main(String... args) {
        Cli.main(new taskmaker(), args);
    }

    @Override
    protected Plan plan(Session session) {
        validate();
        if (check) {
            return checkTasks(session);
        }
        return RunLock.planUnderLock(session, "taskmaker", () -> reconcile(session));
    }

    private void validate() {
        for (String duration : List.of(every, alertEvery, alertOffset)) {
            if (!DURATION.matcher(duration).matches()) {
                throw new UsageException("'" + duration + "' is not a Flux duration such as 30s, 1m or 1h30m");
            }
        }
        if (!(diskWarn > 0 && diskWarn < diskDanger && diskDanger <= 100)) {
            throw new UsageException("need 0 < --disk-warn < --disk-danger <= 100");
        }
    }

    /** What should exist, compared with what does. */
    private Plan reconcile(Session session) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        boolean force = session.settings().force();
        Plan plan = new Plan();
        List<Bucket> buckets = api.buckets(orgId);

        Optional<Bucket> multiapp = buckets.stream().filter(bucket -> bucket.name().equals(MULTIAPP)).findFirst();
        Change createMultiapp = Change.create("bucket", MULTIAPP, "retention 1h", () ->
                Change.Applied.id(api.createBucket(orgId, MULTIAPP, 3600, "influx-tools: alert events across applications").id()));
        if (multiapp.isEmpty()) {
            plan.add(createMultiapp);
        } else if (force) {
            plan.inOrder(List.of(Change.delete("bucket", MULTIAPP, multiapp.get().id(), "", () -> {
                api.deleteBucket(multiapp.get().id());
                return Change.Applied.id(multiapp.get().id());
            }), createMultiapp));
        } else {
            plan.unchanged("bucket", MULTIAPP, multiapp.get().id(), "retention " + Durations.literal(multiapp.get().retentionSeconds()));
        }

        List<ManagedTask> wanted = wantedTasks(buckets.stream().filter(Bucket::isApplication).toList());
        List<Task> existing = api.tasks(orgId);
        Map<String, List<Task>> ours = new HashMap<>();
        for (Task task : existing) {
            ManagedTask.identityOf(task).ifPresent(identity -> ours.computeIfAbsent(identity, key -> new ArrayList<>()).add(task));
        }
        boolean tasksChange = false;
        for (ManagedTask task : wanted) {
            List<Task> found = ours.getOrDefault(task.identity(), List.of());
            if (found.isEmpty()) {
                // Adopt what the original Python tool made under the same name.
                found = existing.stream()
                        .filter(candidate -> ManagedTask.identityOf(candidate).isEmpty() && candidate.name().equals(task.name()))
                        .limit(1)
                        .toList();
            }
            tasksChange |= reconcileTask(plan, api, orgId, task, found, force);
        }
        if (prune) {
            Set<String> wantedIdentities = wanted.stream().map(ManagedTask::identity).collect(Collectors.toSet());
            for (Map.Entry<String, List<Task>> entry : ours.entrySet()) {
                if (!wantedIdentities.contains(entry.getKey())) {
                    entry.getValue().forEach(task -> plan.add(deleteTask(api, task, "its bucket is gone")));
                }
            }
        }
        if (tasksChange) {
            requireOwner(session);
        }
        if (!api.secretKeys(orgId).contains(secretKey)) {
            plan.warn("the org has no secret \"" + secretKey + "\": the Slack tasks will fail until it holds the webhook URL"
                    + " (PATCH /api/v2/orgs/" + orgId + "/secrets or 'influx secret update --key " + secretKey + "')");
        }
        return plan;
    }

    /** Plans one task; answers whether it needs a change. Extra copies left by a race are removed. */
    private boolean reconcileTask(Plan plan, InfluxApi api, String orgId, ManagedTask task, List<Task> found, boolean force) {
        Change create = Change.create("task", task.name(), describe(task), () ->
                Change.Applied.id(api.createTask(orgId, task.flux(), "influx-tools taskmaker: " + describe(task)).id()));
        if (found.isEmpty()) {
            plan.add(create);
            return true;
        }
        if (force) {
            List<Change> recreate = new ArrayList<>();
            found.forEach(old -> recreate.add(deleteTask(api, old, "recreated by --force")));
            recreate.add(create);
            plan.inOrder(recreate);
            return true;
        }
        Task keep = found.get(0);
        found.subList(1, found.size()).forEach(duplicate -> plan.add(deleteTask(api, duplicate, "duplicate")));
        if (keep.flux().equals(task.flux()) && keep.isActive() && keep.name().equals(task.name())) {
            plan.unchanged("task", task.name(), keep.id(), describe(task));
            return found.size() > 1;
        }
        plan.add(Change.update("task", task.name(), keep.id(), describe(task) + " (Flux differs or inactive)", () ->
                Change.Applied.id(api.updateTask(keep.id(), task.flux()).id())));
        return true;
    }

    private static Change deleteTask(InfluxApi api, Task task, String why) {
        return Change.delete("task", task.name(), task.id(), why, () -> {
            api.deleteTask(task.id());
            return Change.Applied.id(task.id());
        });
    }

    /** The tasks that should exist for these application buckets. */
    private List<ManagedTask> wantedTasks(List<Bucket> applications) {
        FluxTemplates templates = templateDir == null ? FluxTemplates.bundled() : FluxTemplates.from(templateDir);
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
        wanted.add(slackTask(templates, "restarts", "warning", true));
        wanted.add(slackTask(templates, "state_checks", "danger", false));
        Map<String, Object> disk = alertValues("_slack_notify_disk_checks");
        disk.put("host_bucket", hostBucket);
        disk.put("warn_percent", new FluxTemplates.Raw(Double.toString(diskWarn)));
        disk.put("danger_percent", new FluxTemplates.Raw(Double.toString(diskDanger)));
        wanted.add(ManagedTask.of("slack_notify_disk_checks", null, "_slack_notify_disk_checks",
                templates.render("slack", "notify_disk", disk)));
        return wanted;
    }

    private ManagedTask slackTask(FluxTemplates templates, String measurement, String color, boolean oncePerEvent) {
        String name = "_slack_notify_" + measurement;
        Map<String, Object> values = alertValues(name);
        values.put("measurement", measurement);
        values.put("color", color);
        values.put("once_per_event", oncePerEvent);
        return ManagedTask.of("slack_notify_" + measurement, null, name, templates.render("slack", "notify_events", values));
    }

    private Map<String, Object> alertValues(String name) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("every", new FluxTemplates.Raw(alertEvery));
        values.put("offset", new FluxTemplates.Raw(alertOffset));
        values.put("multiapp", MULTIAPP);
        values.put("secret_key", secretKey);
        values.put("channel", channel);
        return values;
    }

    private static String describe(ManagedTask task) {
        return task.bucket() == null ? task.kind() : task.kind() + " of bucket \"" + task.bucket() + "\"";
    }

    /** Tasks run as the user who owns the token that made them; a mere member's tasks cannot write. */
    private static void requireOwner(Session session) {
        InfluxApi api = session.api();
        var me = api.me();
        if (!api.isOwner(session.org().id(), me.getString("id", ""))) {
            throw new UsageException("the token's user \"" + me.getString("name", "?") + "\" is not an owner of org \""
                    + session.org().name() + "\": tasks run as that user, and a member's tasks cannot write."
                    + " Make the user an owner, or use a token of an owner (see tokenmaker).");
        }
    }

    /** --check: how the managed tasks are doing, without changing anything. */
    private Plan checkTasks(Session session) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        Plan plan = new Plan();
        List<Bucket> buckets = api.buckets(orgId);
        if (buckets.stream().noneMatch(bucket -> bucket.name().equals(MULTIAPP))) {
            plan.problem("bucket", MULTIAPP, "", "", "missing: run taskmaker to create it");
        }
        Map<String, Task> byIdentity = new HashMap<>();
        Map<String, Task> byName = new HashMap<>();
        for (Task task : api.tasks(orgId)) {
            ManagedTask.identityOf(task).ifPresent(identity -> byIdentity.putIfAbsent(identity, task));
            byName.putIfAbsent(task.name(), task);
        }
        for (ManagedTask wanted : wantedTasks(buckets.stream().filter(Bucket::isApplication).toList())) {
            Task task = byIdentity.getOrDefault(wanted.identity(), byName.get(wanted.name()));
            if (task == null) {
                plan.problem("task", wanted.name(), "", describe(wanted), "missing: run taskmaker to create it");
            } else if (!task.isActive()) {
                plan.problem("task", wanted.name(), task.id(), describe(wanted), "inactive");
            } else {
                Optional<TaskRun> last = api.latestRun(task.id());
                if (last.isPresent() && last.get().status().equals("failed")) {
                    List<String> log = last.get().log();
                    plan.problem("task", wanted.name(), task.id(), describe(wanted), "last run failed: "
                            + (log.isEmpty() ? "(no log)" : log.get(log.size() - 1)));
                } else {
                    plan.unchanged("task", wanted.name(), task.id(), describe(wanted) + ", last run "
                            + last.map(run -> run.status() + " " + run.scheduledFor()).orElse("none yet"));
                }
            }
        }
        return plan;
    }
}

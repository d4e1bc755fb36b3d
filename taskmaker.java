///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A CronJob run is short: C1 alone and the serial collector finish sooner, and a small young generation keeps memory flat in N (README, Performance).
// CDS: the first run records the classes it loaded, later runs map them in; its log would mix with --json on stdout.
//CDS
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xlog:cds=off
//DESCRIPTION Keeps restart and pod-state tasks for every Kubernetes application bucket of an InfluxDB 2.x organisation, with Slack alerts sent once per event.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/cli/*.java
//SOURCES lib/plan/*.java
//SOURCES lib/influx/*.java
//SOURCES lib/alerts/*.java
//FILES templates/=templates/*.stg

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import alerts.AlertTasks;
import alerts.FluxTemplates;
import alerts.ManagedTask;
import cli.Cli;
import cli.Session;
import cli.ToolCommand;
import cli.UsageException;
import cli.Version;
import influx.Background;
import influx.Bucket;
import influx.Durations;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import influx.TaskRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import plan.Change;
import plan.Plan;

@Command(name = "taskmaker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Every bucket whose name neither starts nor ends with '_' is a Kubernetes application. "
                + "For each, taskmaker keeps the tasks '<App> restarts' and '<App> state_checks', which "
                + "record restarts and containers not running in the bucket multiapp_; and it keeps the "
                + "Slack tasks that alert on those, and on the monitoring host's disk space, once each.")
public class taskmaker extends ToolCommand {
    private static final String MULTIAPP = AlertTasks.MULTIAPP;

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
        AlertTasks design = new AlertTasks(templateDir == null ? FluxTemplates.bundled() : FluxTemplates.from(templateDir),
                every, alertEvery, alertOffset, secretKey, channel, hostBucket, diskWarn, diskDanger);
        if (check) {
            return checkTasks(session, design);
        }
        // Its token may not write buckets (that grant could delete them), so its lock is a label.
        return session.planUnderLabelLock(() -> reconcile(session, design));
    }

    /** What should exist, compared with what does. */
    private Plan reconcile(Session session, AlertTasks design) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        boolean force = session.settings().force();
        Plan plan = new Plan();
        Background<List<Task>> tasks = Background.start("tasks", () -> api.tasks(orgId));
        Background<Set<String>> secretKeys = Background.start("secrets", () -> api.secretKeys(orgId));
        // Each page of buckets is rendered while the next one is read.
        List<Bucket> buckets = new ArrayList<>();
        List<ManagedTask> wanted = new ArrayList<>();
        for (List<Bucket> page : api.bucketPages(orgId)) {
            buckets.addAll(page);
            wanted.addAll(design.applicationTasks(page.stream().filter(Bucket::isApplication).toList()));
        }
        wanted.addAll(design.alertTasks());

        Optional<Bucket> multiapp = buckets.stream().filter(bucket -> bucket.name().equals(MULTIAPP)).findFirst();
        if (multiapp.isEmpty()) {
            throw new UsageException(multiappMissing(session.org()));
        }
        // Never deleted, not even by --force: it holds which alerts were sent, and the token cannot make it again.
        plan.unchanged("bucket", MULTIAPP, multiapp.get().id(), "retention " + Durations.literal(multiapp.get().retentionSeconds()));

        Map<String, List<Task>> ours = new HashMap<>();
        // Tasks without our marker, first of each name: what the original Python tool made, to adopt.
        Map<String, Task> unmarkedByName = new HashMap<>();
        for (Task task : tasks.get()) {
            Optional<String> identity = ManagedTask.identityOf(task);
            if (identity.isPresent()) {
                ours.computeIfAbsent(identity.get(), key -> new ArrayList<>()).add(task);
            } else {
                unmarkedByName.putIfAbsent(task.name(), task);
            }
        }
        boolean tasksChange = false;
        for (ManagedTask task : wanted) {
            List<Task> found = ours.getOrDefault(task.identity(), List.of());
            if (found.isEmpty() && unmarkedByName.containsKey(task.name())) {
                found = List.of(unmarkedByName.get(task.name()));
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
        if (!secretKeys.get().contains(secretKey)) {
            plan.warn("the org has no secret \"" + secretKey + "\": the Slack tasks will fail until it holds the webhook URL"
                    + " (PATCH /api/v2/orgs/" + orgId + "/secrets or 'influx secret update --key " + secretKey + "')");
        }
        return plan;
    }

    /** The one line when multiapp_ is missing: what the operator runs, once. */
    private static String multiappMissing(Org org) {
        return "the bucket \"" + MULTIAPP + "\" is missing in org \"" + org.name() + "\", and taskmaker's token cannot create"
                + " buckets (on purpose: that grant could delete them). Create it once with an operator token:"
                + " 'tokenmaker --for taskmaker' (it also makes taskmaker's token if there is none), or"
                + " 'influx bucket create --org " + org.name() + " --name " + MULTIAPP + " --retention 1h'";
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
    private Plan checkTasks(Session session, AlertTasks design) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        Plan plan = new Plan();
        Background<List<Task>> tasks = Background.start("tasks", () -> api.tasks(orgId));
        List<Bucket> buckets = api.buckets(orgId);
        if (buckets.stream().noneMatch(bucket -> bucket.name().equals(MULTIAPP))) {
            plan.problem("bucket", MULTIAPP, "", "", "missing: run taskmaker to create it");
        }
        Map<String, Task> byIdentity = new HashMap<>();
        Map<String, Task> byName = new HashMap<>();
        for (Task task : tasks.get()) {
            ManagedTask.identityOf(task).ifPresent(identity -> byIdentity.putIfAbsent(identity, task));
            byName.putIfAbsent(task.name(), task);
        }
        for (ManagedTask wanted : design.wanted(buckets.stream().filter(Bucket::isApplication).toList())) {
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

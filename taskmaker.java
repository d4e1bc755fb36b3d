///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A CronJob run is short: C1 alone and the serial collector finish sooner, and a small young generation keeps memory flat in N (docs/performance.md).
// CDS: the first run records the classes it loaded, later runs map them in; its log would mix with --json on stdout.
//CDS
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xlog:cds=off
//DESCRIPTION Keeps restart and pod-state tasks for the Kubernetes application buckets of an InfluxDB 2.x organisation, with Slack alerts sent once per event.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/cli/*.java
//SOURCES lib/plan/*.java
//SOURCES lib/influx/*.java
//SOURCES lib/alerts/*.java
//FILES templates/=templates/*.stg

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import alerts.HealthCheck;
import alerts.ManagedTask;
import alerts.OriginalTool;
import alerts.RouteSecrets;
import alerts.WebhookHealth;
import alerts.WebhookRoutes;
import cli.Cli;
import cli.Session;
import cli.ToolCommand;
import cli.UsageException;
import cli.Version;
import influx.ApiException;
import influx.Background;
import influx.Bucket;
import influx.Durations;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import plan.Change;
import plan.Plan;

@Command(name = "taskmaker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Every bucket whose name neither starts nor ends with '_' is a Kubernetes application. "
                + "taskmaker keeps the task _record_events, which watches all of them "
                + "and records restarts and containers not running in the bucket multiapp_; and it keeps the "
                + "Slack tasks that alert on those, and on the monitoring host's disk space, once each.")
public class taskmaker extends ToolCommand {
    private static final String HOST_BUCKET = "roundtable_internal_";

    @Option(names = "--prune", description = "delete tasks an earlier taskmaker made that this one no longer makes (the tasks it replaces go without it)")
    boolean prune;

    @Option(names = "--check", description = "report tasks that are missing, inactive, or whose last run failed; change nothing")
    boolean check;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "1m",
            description = "schedule of the tasks that watch the application buckets (default ${DEFAULT-VALUE})")
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

    @Option(names = "--host-bucket", paramLabel = "BUCKET",
            description = "bucket with the monitoring host's disk measurements (default roundtable_internal_, or monitoring"
                    + " when only that one exists)")
    String hostBucket;

    @Option(names = "--webhooks-file", paramLabel = "FILE",
            description = "per-cluster Slack routes, in the format of WEBHOOKS_YAML (env WEBHOOKS_YAML holds the same inline)")
    Path webhooksFile;

    @Option(names = "--retire-original", description = "delete the original Python tool's tasks that taskmaker does not adopt,"
            + " and its buckets webhooks_ and alerted_")
    boolean retireOriginal;

    @Option(names = "--disk-warn", paramLabel = "PERCENT", defaultValue = "85",
            description = "disk use that warns (default ${DEFAULT-VALUE})")
    double diskWarn;

    @Option(names = "--disk-danger", paramLabel = "PERCENT", defaultValue = "95",
            description = "disk use that is danger (default ${DEFAULT-VALUE})")
    double diskDanger;

    @Option(names = "--pending-grace", paramLabel = "DURATION", defaultValue = "5m",
            description = "how long a pod may stay Pending while starting up (pulling, creating, scheduling) before it is alerted (default ${DEFAULT-VALUE})")
    String pendingGrace;

    @Option(names = "--restart-period", paramLabel = "DURATION", defaultValue = "30m",
            description = "a container's restarts are posted at most once per period, counted (default ${DEFAULT-VALUE}, at most 45m)")
    String restartPeriod;

    @Option(names = "--template-dir", paramLabel = "DIR", description = "use these Flux templates instead of the packaged ones")
    Path templateDir;

    public taskmaker() {
        this(System.getenv());
    }

    private final Map<String, String> env;
    /** Which host bucket was chosen and why, for the disk task's line of the report. */
    private String hostBucketReason = "";
    private String chosenHostBucket = HOST_BUCKET;
    /** How many application buckets the watching tasks read, for their lines of the report. */
    private int applicationCount;

    public taskmaker(Map<String, String> env) {
        super(env);
        this.env = env;
    }

    public static void main(String... args) {
        Cli.main(new taskmaker(), args);
    }

    @Override
    protected Plan plan(Session session) {
        AlertTasks design = new AlertTasks(templateDir == null ? FluxTemplates.bundled() : FluxTemplates.from(templateDir),
                every, alertEvery, alertOffset, secretKey, channel, HOST_BUCKET, diskWarn, diskDanger, routes(),
                session.org().id(), pendingGrace, restartPeriod);
        if (check) {
            return checkTasks(session, design);
        }
        // Its token may not write buckets (that grant could delete them), so its lock is a label.
        return session.planUnderLabelLock(() -> reconcile(session, design));
    }

    /** The routes of --webhooks-file, else of WEBHOOKS_YAML, else none. */
    private WebhookRoutes routes() {
        if (webhooksFile != null) {
            try {
                return WebhookRoutes.parse(Files.readString(webhooksFile, StandardCharsets.UTF_8), "--webhooks-file " + webhooksFile);
            } catch (IOException e) {
                throw new UsageException("cannot read --webhooks-file " + webhooksFile);
            }
        }
        String inline = env.get("WEBHOOKS_YAML");
        return inline == null ? WebhookRoutes.NONE : WebhookRoutes.parse(inline, "WEBHOOKS_YAML");
    }

    /** --host-bucket, else ours, else the original's when only that one exists. */
    private String chooseHostBucket(List<Bucket> buckets) {
        if (hostBucket != null) {
            hostBucketReason = "--host-bucket";
            return chosenHostBucket = hostBucket;
        }
        Set<String> names = buckets.stream().map(Bucket::name).collect(Collectors.toSet());
        if (!names.contains(HOST_BUCKET) && names.contains(OriginalTool.HOST_BUCKET)) {
            hostBucketReason = "chosen: no bucket " + HOST_BUCKET + ", but the original tool's " + OriginalTool.HOST_BUCKET;
            return chosenHostBucket = OriginalTool.HOST_BUCKET;
        }
        hostBucketReason = names.contains(HOST_BUCKET) ? "chosen: it exists" : "the default; no such bucket yet";
        return chosenHostBucket = HOST_BUCKET;
    }

    /** The application buckets, counted for the report's lines of the tasks that watch them. */
    private List<Bucket> applications(List<Bucket> buckets) {
        List<Bucket> applications = buckets.stream().filter(Bucket::isApplication).toList();
        applicationCount = applications.size();
        return applications;
    }

    /** What should exist, compared with what does. */
    private Plan reconcile(Session session, AlertTasks design) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        boolean force = session.settings().force();
        Plan plan = new Plan();
        Background<List<Task>> tasks = Background.start("tasks", () -> api.tasks(orgId));
        Background<Optional<Set<String>>> secretKeys = Background.start("secrets", () -> readableSecretKeys(api, orgId));
        List<Bucket> buckets = api.buckets(orgId);
        design = design.withHostBucket(chooseHostBucket(buckets));

        Optional<Bucket> multiapp = Bucket.multiappIn(buckets);
        if (multiapp.isEmpty()) {
            throw new UsageException(multiappMissing(session.org()));
        }
        // Never deleted, not even by --force: it holds which alerts were sent, and the token cannot make it again.
        plan.unchanged("bucket", Bucket.MULTIAPP, multiapp.get().id(), "retention " + Durations.literal(multiapp.get().retentionSeconds()));

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
        Optional<Set<String>> keys = secretKeys.get();
        if (keys.isEmpty() && !design.routes().isEmpty()) {
            throw new UsageException("per-cluster Slack routes are kept as InfluxDB secrets, but this token may not read the"
                    + " org's secrets: give it read and write on secrets (or run without WEBHOOKS_YAML and --webhooks-file)");
        }
        design = design.withSecretsIn(keys);
        // New route secrets first, then the Slack tasks that read them, then the secrets no task reads any more.
        RouteSecrets routeSecrets = RouteSecrets.compare(design, keys.orElse(Set.of()));
        boolean routesHeld = routeSecrets.needsWrites() && !session.settings().dryRun()
                && !api.maySecretsBeWritten(orgId);
        List<Change> routing = routesHeld ? List.of() : planRoutes(plan, api, orgId, routeSecrets);
        if (routesHeld) {
            holdRoutes(plan, routeSecrets);
        }
        List<ManagedTask> wanted = new ArrayList<>(design.applicationTasks(applications(buckets)));
        // Until held routes are applied, the Slack tasks read only secrets that exist: a missing task is made so.
        List<ManagedTask> alertTasks = (routesHeld ? design.withRoutesIn(keys.get()) : design).alertTasks();
        wanted.addAll(alertTasks);
        Set<String> adopted = new java.util.HashSet<>();
        boolean tasksChange = false;
        for (ManagedTask task : wanted) {
            List<Task> found = ours.getOrDefault(task.identity(), List.of());
            if (found.isEmpty() && unmarkedByName.containsKey(task.name())) {
                found = List.of(unmarkedByName.get(task.name()));
            }
            // The first of the tasks it replaces is updated in place, keeping its ID; the rest go once it runs.
            List<Task> replaced = tasks.get().stream().filter(task::replaces).sorted(java.util.Comparator.comparing(Task::name)).toList();
            if (found.isEmpty() && !replaced.isEmpty()) {
                found = List.of(replaced.get(0));
                replaced = replaced.subList(1, replaced.size());
            }
            for (Task old : replaced) {
                adopted.add(old.id());
                plan.last(ManagedTask.delete(api, old, "replaced by " + task.name() + ", which watches every application bucket"));
                tasksChange = true;
            }
            found.forEach(existing -> adopted.add(existing.id()));
            if (routesHeld && alertTasks.contains(task) && !found.isEmpty()) {
                plan.unchanged("task", task.name(), found.get(0).id(), describe(task) + " (kept with the routes in use)");
                continue;
            }
            boolean chained = !routing.isEmpty() && alertTasks.contains(task);
            tasksChange |= reconcileTask(plan, chained ? routing : null, api, orgId, task, found, force);
        }
        if (!routing.isEmpty()) {
            plan.inOrder(routing);
        }
        OriginalTool.planLeftovers(plan, api, tasks.get(), adopted, buckets, retireOriginal);
        if (prune) {
            Set<String> wantedIdentities = wanted.stream().map(ManagedTask::identity).collect(Collectors.toSet());
            for (Map.Entry<String, List<Task>> entry : ours.entrySet()) {
                if (!wantedIdentities.contains(entry.getKey())) {
                    entry.getValue().stream().filter(task -> !adopted.contains(task.id()))
                            .forEach(task -> plan.add(ManagedTask.delete(api, task, "taskmaker no longer makes it")));
                }
            }
        }
        if (tasksChange) {
            requireOwner(session, plan);
        }
        if (keys.isEmpty()) {
            plan.warn("cannot list the org's secrets (the token lacks read on secrets), so cannot tell whether the secret \""
                    + secretKey + "\" holding the Slack webhook exists; 'taskmaker --check' shows whether the Slack tasks run");
        } else if (!design.defaultWebhook()) {
            plan.warn("the org has no secret \"" + secretKey + "\": alerts of clusters without a route wait until it holds the"
                    + " default webhook URL and taskmaker runs again (they are held for as long as multiapp_ keeps them)");
        } else if (!keys.get().contains(secretKey)) {
            plan.warn("the org has no secret \"" + secretKey + "\": the Slack tasks will fail until it holds the webhook URL"
                    + " (PATCH /api/v2/orgs/" + orgId + "/secrets or 'influx secret update --key " + secretKey + "')");
        }
        return plan;
    }

    /** The one line when multiapp_ is missing: what the operator runs, once. */
    private static String multiappMissing(Org org) {
        return "the bucket \"" + Bucket.MULTIAPP + "\" is missing in org \"" + org.name() + "\", and taskmaker's token cannot create"
                + " buckets (on purpose: that grant could delete them). Create it once with an operator token:"
                + " 'tokenmaker --for taskmaker' (it also makes taskmaker's token if there is none), or"
                + " 'influx bucket create --org " + org.name() + " --name " + Bucket.MULTIAPP + " --retention 6h'";
    }

    /**
     * The keys of the org's secrets, or nothing if the token may not list them. The original's
     * tokens may not: for a token that cannot read the org, InfluxDB answers 404 on its sub-paths.
     */
    private static Optional<Set<String>> readableSecretKeys(InfluxApi api, String orgId) {
        try {
            return Optional.of(api.secretKeys(orgId));
        } catch (ApiException e) {
            if (e.isAuthFailure() || e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Keeps one secret per route (see WebhookRoutes.secretKey): a missing key is written, a key no
     * route names any more is deleted, after the tasks stop reading it. Answers the writes, which
     * the Slack tasks' changes must follow; an unchanged route costs nothing.
     */
    private List<Change> planRoutes(Plan plan, InfluxApi api, String orgId, RouteSecrets routes) {
        for (WebhookRoutes.Route route : routes.present()) {
            plan.unchanged("secret", routes.keys().get(route.cluster()), "", routeDetail(route));
        }
        List<Change> writes = new ArrayList<>();
        for (WebhookRoutes.Route route : routes.missing()) {
            String key = routes.keys().get(route.cluster());
            writes.add(Change.create("secret", key, routeDetail(route), () -> {
                api.putSecrets(orgId, Map.of(key, route.url()));
                return Change.Applied.id("");
            }));
        }
        for (String key : routes.unused()) {
            plan.last(Change.delete("secret", key, "", "no route uses it any more", () -> {
                api.deleteSecret(orgId, key);
                return Change.Applied.id("");
            }));
        }
        return writes;
    }

    private static String routeDetail(WebhookRoutes.Route route) {
        return "webhook of cluster \"" + route.cluster() + "\"" + (route.channel().isEmpty() ? "" : ", channel " + route.channel());
    }

    /**
     * Routes that need secrets written, under a token that may not write them (taskmaker's own):
     * the secrets and the Slack tasks stay as they are, so alerts keep their routes in use, and
     * the one line says what would change and who can apply it.
     */
    private void holdRoutes(Plan plan, RouteSecrets routes) {
        plan.hold("routes", routesSource(), routes.changes(secretKey), "this token may not write secrets, so the routes in use"
                + " stay as they are; apply the new ones by running taskmaker once more with these settings and a token that may write"
                + " secrets (the operator token 'tokenmaker --for taskmaker' ran with)");
    }

    private String routesSource() {
        return webhooksFile != null ? "--webhooks-file " + webhooksFile : "WEBHOOKS_YAML";
    }

    /**
     * Plans one task; answers whether it needs a change. Extra copies left by a race are removed.
     * With a chain, the changes join it, to run in its order, instead of running on their own.
     */
    private boolean reconcileTask(Plan plan, List<Change> chain, InfluxApi api, String orgId, ManagedTask task, List<Task> found,
            boolean force) {
        java.util.function.Consumer<Change> add = chain != null ? chain::add : plan::add;
        Change create = Change.create("task", task.name(), describe(task), () ->
                Change.Applied.id(api.createTask(orgId, task.flux(), "influx-tools taskmaker: " + describe(task)).id()));
        if (found.isEmpty()) {
            add.accept(create);
            return true;
        }
        if (force) {
            List<Change> recreate = new ArrayList<>();
            found.forEach(old -> recreate.add(ManagedTask.delete(api, old, "recreated by --force")));
            recreate.add(create);
            if (chain != null) {
                chain.addAll(recreate);
            } else {
                plan.inOrder(recreate);
            }
            return true;
        }
        Task keep = found.get(0);
        found.subList(1, found.size()).forEach(duplicate -> add.accept(ManagedTask.delete(api, duplicate, "duplicate")));
        if (keep.flux().equals(task.flux()) && keep.isActive() && keep.name().equals(task.name())) {
            plan.unchanged("task", task.name(), keep.id(), describe(task));
            return found.size() > 1;
        }
        add.accept(Change.update("task", task.name(), keep.id(), describe(task) + " (Flux differs or inactive)", () ->
                Change.Applied.id(api.updateTask(keep.id(), task.flux()).id())));
        return true;
    }

    private String describe(ManagedTask task) {
        if (task.kind().equals("slack_notify_disk_checks")) {
            return task.kind() + ", host bucket \"" + chosenHostBucket + "\" (" + hostBucketReason + ")";
        }
        if (task.kind().equals(AlertTasks.RECORD_KIND) && task.bucket() == null) {
            return task.kind() + " of " + applicationCount + (applicationCount == 1 ? " application bucket" : " application buckets");
        }
        return task.bucket() == null ? task.kind() : task.kind() + " of bucket \"" + task.bucket() + "\"";
    }

    /**
     * Tasks run as the user who owns the token that made them; a mere member's tasks cannot write.
     * A token that may not read its own user (GET /me needs read on users, which the original
     * tool's tokens lack) cannot be checked: the run goes on with a warning.
     */
    private static void requireOwner(Session session, Plan plan) {
        InfluxApi api = session.api();
        com.eclipsesource.json.JsonObject me;
        boolean owner;
        try {
            me = api.me();
            owner = api.isOwner(session.org().id(), me.getString("id", ""));
        } catch (ApiException e) {
            if (!e.isAuthFailure() && !e.isNotFound()) {
                throw e;
            }
            plan.warn("cannot check that the token's user owns org \"" + session.org().name() + "\" (" + e.getMessage()
                    + "): tasks of a user who is only a member fail when they write; run 'taskmaker --check' after this run"
                    + " to see every task succeed, or use a token made by 'tokenmaker --for taskmaker'");
            return;
        }
        if (!owner) {
            throw new UsageException("the token's user \"" + me.getString("name", "?") + "\" is not an owner of org \""
                    + session.org().name() + "\": tasks run as that user, and a member's tasks cannot write."
                    + " Make the user an owner, or use a token of an owner (see tokenmaker).");
        }
    }

    /** --check: how what taskmaker keeps is doing, and the original tool's tasks; changes nothing. */
    private Plan checkTasks(Session session, AlertTasks design) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        Background<List<Task>> tasks = Background.start("tasks", () -> api.tasks(orgId));
        List<Bucket> buckets = api.buckets(orgId);
        Background<Optional<Set<String>>> secretKeys = Background.start("secrets", () -> readableSecretKeys(api, orgId));
        AlertTasks chosen = design.withHostBucket(chooseHostBucket(buckets)).withSecretsIn(secretKeys.get());
        Plan health = HealthCheck.report(api, tasks.get(), buckets, chosen.wanted(applications(buckets)), this::describe,
                multiappMissing(session.org()));
        if (!design.routes().isEmpty()) {
            checkRoutes(health, design, secretKeys.get());
        }
        if (Bucket.multiappIn(buckets).isPresent()) {
            WebhookHealth.report(health, api, orgId, chosen, secretKeys.get(), applications(buckets));
        }
        return health;
    }

    /** Whether the routes given are the ones in use: a change held for want of a grant is a problem until applied. */
    private void checkRoutes(Plan health, AlertTasks design, Optional<Set<String>> keys) {
        int count = design.routes().routes().size();
        String detail = count + (count == 1 ? " route" : " routes");
        if (keys.isEmpty()) {
            health.check("routes", routesSource(), "", detail, "this token may not list the org's secrets, so cannot tell whether"
                    + " these routes are the ones in use");
            return;
        }
        RouteSecrets routes = RouteSecrets.compare(design, keys.get());
        health.check("routes", routesSource(), "", detail, routes.needsWrites()
                ? "not in use yet: it " + routes.changes(secretKey) + "; run taskmaker with a token that may write secrets to apply it"
                : null);
    }
}

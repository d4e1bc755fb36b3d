///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A CronJob run is short: C1 alone and the serial collector finish sooner, and a small young generation keeps memory flat in N (docs/performance.md).
// CDS: the first run records the classes it loaded, later runs map them in; its log would mix with --json on stdout.
//CDS
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xlog:cds=off
//DESCRIPTION Gives every bucket of an InfluxDB 2.x organisation a DBRP mapping, so that InfluxQL and Chronograf can query it.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/cli/*.java
//SOURCES lib/plan/*.java
//SOURCES lib/influx/*.java

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import cli.Cli;
import cli.Session;
import cli.ToolCommand;
import cli.Version;
import influx.ApiException;
import influx.Background;
import influx.Bucket;
import influx.Dbrp;
import influx.Durations;
import influx.InfluxApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import plan.Change;
import plan.Plan;
import plan.RunLock;

@Command(name = "bucketmapper", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Maps every bucket of the organisation to a database and retention policy (DBRP): "
                + "database = the bucket's name, retention policy = its retention as a duration literal "
                + "(1w, 3d12h, infinite). Existing mappings are kept; a changed retention is reported.")
public class bucketmapper extends ToolCommand {
    @Option(names = "--update", description = "rename the retention policy of mappings whose bucket retention changed")
    boolean update;

    public bucketmapper() {
        this(System.getenv());
    }

    public bucketmapper(Map<String, String> env) {
        super(env);
    }

    public static void main(String... args) {
        Cli.main(new bucketmapper(), args);
    }

    @Override
    protected Plan plan(Session session) {
        // The server's uniqueness check on (org, database, rp) does not hold against simultaneous creates.
        return session.planUnderLock(() -> reconcile(session));
    }

    private Plan reconcile(Session session) {
        InfluxApi api = session.api();
        String orgId = session.org().id();
        Background<List<Bucket>> buckets = Background.start("buckets", () -> api.buckets(orgId));
        // Virtual mappings (2.4+) are the server's read-only defaults, not mappings of ours.
        Map<String, List<Dbrp>> mappingsByBucket = api.dbrps(orgId).stream()
                .filter(mapping -> !mapping.virtual())
                .collect(Collectors.groupingBy(Dbrp::bucketId));
        Plan plan = new Plan();
        for (Bucket bucket : buckets.get()) {
            if (RunLock.isLock(bucket)) {
                continue;
            }
            if (!Dbrp.isValidDatabaseName(bucket.name())) {
                plan.warn("bucket \"" + bucket.name() + "\" cannot be mapped: InfluxQL database names cannot contain"
                        + " '/' or '\\' or unprintable characters, nor be longer than " + Dbrp.MAX_DATABASE_BYTES + " bytes");
                continue;
            }
            String retentionPolicy = Durations.literal(bucket.retentionSeconds());
            List<Dbrp> ours = mappingsByBucket.getOrDefault(bucket.id(), List.of()).stream()
                    .filter(mapping -> mapping.database().equals(bucket.name()))
                    .toList();
            Change create = Change.create("dbrp", bucket.name(), bucket.name() + "/" + retentionPolicy,
                    () -> createMapping(api, orgId, bucket, retentionPolicy));
            if (ours.isEmpty()) {
                plan.add(create);
            } else if (session.settings().force()) {
                List<Change> recreate = new ArrayList<>();
                for (Dbrp mapping : ours) {
                    recreate.add(Change.delete("dbrp", bucket.name(), mapping.id(), describe(mapping), () -> {
                        api.deleteDbrp(orgId, mapping.id());
                        return Change.Applied.id(mapping.id());
                    }));
                }
                recreate.add(create);
                plan.inOrder(recreate);
            } else {
                keepOrFixDrift(plan, api, orgId, bucket, ours, retentionPolicy);
            }
        }
        return plan;
    }

    private void keepOrFixDrift(Plan plan, InfluxApi api, String orgId, Bucket bucket, List<Dbrp> ours,
            String retentionPolicy) {
        Optional<Dbrp> current = ours.stream().filter(mapping -> mapping.retentionPolicy().equals(retentionPolicy)).findFirst();
        if (current.isPresent()) {
            plan.unchanged("dbrp", bucket.name(), current.get().id(), describe(current.get()));
            return;
        }
        Dbrp stale = ours.stream().filter(Dbrp::isDefault).findFirst().orElse(ours.get(0));
        if (update) {
            plan.add(Change.update("dbrp", bucket.name(), stale.id(), bucket.name() + "/" + retentionPolicy
                    + " (was " + stale.retentionPolicy() + ")", () -> {
                        api.renameRetentionPolicy(orgId, stale.id(), retentionPolicy);
                        return Change.Applied.id(stale.id());
                    }));
        } else {
            plan.warn("drift: bucket \"" + bucket.name() + "\" now keeps data for " + retentionPolicy
                    + " but its mapping says " + stale.retentionPolicy() + "; run with --update to rename it");
            plan.unchanged("dbrp", bucket.name(), stale.id(), describe(stale) + " (drift: retention is " + retentionPolicy + ")");
        }
    }

    /** A 422 conflict means another run mapped the bucket between our look and our write. */
    private static Change.Applied createMapping(InfluxApi api, String orgId, Bucket bucket, String retentionPolicy) {
        try {
            return Change.Applied.id(api.createDbrp(orgId, bucket, retentionPolicy).id());
        } catch (ApiException e) {
            if (!e.isConflict()) {
                throw e;
            }
            return api.dbrps(orgId).stream()
                    .filter(mapping -> !mapping.virtual() && mapping.database().equals(bucket.name())
                            && mapping.retentionPolicy().equals(retentionPolicy))
                    .findFirst()
                    .map(mapping -> Change.Applied.existing(mapping.id()))
                    .orElseThrow(() -> e);
        }
    }

    private static String describe(Dbrp mapping) {
        return mapping.database() + "/" + mapping.retentionPolicy();
    }
}

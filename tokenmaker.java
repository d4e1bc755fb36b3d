///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A CronJob run is short: C1 alone and the serial collector finish sooner, and a small young generation keeps memory flat in N (docs/performance.md).
// CDS: the first run records the classes it loaded, later runs map them in; its log would mix with --json on stdout.
//CDS
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xlog:cds=off
//DESCRIPTION Creates the least-privilege InfluxDB 2.x tokens the scheduled tools (taskmaker, bucketmapper, Telegraf) run with.
//DEPS info.picocli:picocli:4.7.7
//SOURCES lib/cli/*.java
//SOURCES lib/plan/*.java
//SOURCES lib/influx/*.java
//SOURCES lib/tokens/*.java

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import cli.Cli;
import cli.Session;
import cli.ToolCommand;
import cli.UsageException;
import cli.Version;
import influx.ApiException;
import influx.Authorization;
import influx.Background;
import influx.Bucket;
import influx.InfluxApi;
import influx.Org;
import influx.Permission;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import plan.Change;
import plan.Plan;
import tokens.Multiapp;
import tokens.SecretFile;
import tokens.TokenPurpose;

@Command(name = "tokenmaker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Creates the token a scheduled tool runs with: only the permissions that tool needs, all "
                + "scoped to the organisation. Run it once with an operator token or an org all-access "
                + "token. An existing token for the same purpose is kept; a new one is printed once, or "
                + "written to --output-file.")
public class tokenmaker extends ToolCommand {
    /** What the operator can do when the server refuses one of tokenmaker's own calls. */
    static final String TOKEN_ADVICE = "tokenmaker needs an operator token, or an org all-access token whose user"
            + " owns the org (a token can only grant permissions it holds itself)";

    @Option(names = "--for", paramLabel = "TOOL", defaultValue = "taskmaker", converter = PurposeConverter.class,
            description = "the tool the token is for: taskmaker, bucketmapper or telegraf (default ${DEFAULT-VALUE})")
    TokenPurpose purpose;

    @Option(names = "--user", paramLabel = "ID",
            description = "the user who will own the token (default: the user of --token); must own the org for taskmaker")
    String user;

    @Option(names = "--rotate", description = "create a new token, then deactivate the old ones for this purpose")
    boolean rotate;

    @Option(names = "--output-file", paramLabel = "FILE",
            description = "write the new token to FILE (mode 0600) instead of printing it; never replaces a file without --force")
    Path outputFile;

    public tokenmaker() {
        this(System.getenv());
    }

    public tokenmaker(Map<String, String> env) {
        super(env);
    }

    public static void main(String... args) {
        Cli.main(new tokenmaker(), args);
    }

    @Override
    protected Plan plan(Session session) {
        InfluxApi api = session.api();
        Org org = session.org();
        boolean force = session.settings().force();
        try {
            Background<List<Authorization>> tokens = Background.start("tokens", () -> api.authorizations(org.id()));
            Background<Optional<Bucket>> multiapp = Background.start("multiapp_",
                    () -> purpose == TokenPurpose.TASKMAKER ? api.bucket(org.id(), Bucket.MULTIAPP) : Optional.empty());
            String owner = tokenUser(api);
            if (purpose.createsTasks() && !api.isOwner(org.id(), owner)) {
                throw new UsageException("user " + owner + " is not an owner of org \"" + org.name() + "\": tasks run as"
                        + " the token's user with that user's org role, and a member's tasks cannot write; make the user"
                        + " an owner of the org, or pass --user with the ID of an owner");
            }
            List<Permission> wanted = purpose.permissions(org.id(), owner);
            List<Authorization> ours = tokens.get().stream()
                    .filter(authorization -> authorization.description().equals(purpose.description()))
                    .toList();
            Optional<Authorization> current = ours.stream()
                    .filter(authorization -> authorization.isActive() && authorization.userId().equals(owner)
                            && new HashSet<>(authorization.permissions()).equals(new HashSet<>(wanted)))
                    .findFirst();
            List<Authorization> active = ours.stream().filter(Authorization::isActive).toList();
            Plan plan = new Plan();
            if (purpose == TokenPurpose.TASKMAKER && multiapp.get().isEmpty()) {
                // taskmaker's token cannot create buckets, so its operator's run makes the one it needs.
                plan.add(Change.create("bucket", Bucket.MULTIAPP, "retention 6h, for taskmaker's alert events",
                        () -> Change.Applied.id(Multiapp.create(api, org.id()).id())));
            }
            if (current.isPresent() && !rotate && !force) {
                plan.unchanged("token", purpose.toolName(), current.get().id(), describe(wanted));
                if (active.size() > 1) {
                    plan.warn(active.size() + " active tokens are described \"" + purpose.description()
                            + "\"; --rotate leaves exactly one");
                }
                if (outputFile != null) {
                    plan.warn("nothing written to " + outputFile + ": InfluxDB cannot show an existing token again;"
                            + " --rotate makes a new one");
                }
                return plan;
            }
            if (outputFile != null) {
                SecretFile.refuseOverwrite(outputFile, force);
            }
            List<Change> replace = new ArrayList<>();
            String written = outputFile == null ? "" : " (written to " + outputFile + ")";
            replace.add(Change.create("token", purpose.toolName(), describe(wanted) + written,
                    () -> create(api, org, owner, wanted, force)));
            // The old tokens go only once the new one exists, so the tools are never left without one.
            if (force) {
                ours.forEach(old -> replace.add(Change.delete("token", purpose.toolName(), old.id(), "replaced (--force)", () -> {
                    api.deleteAuthorization(old.id());
                    return Change.Applied.id(old.id());
                })));
            } else {
                active.forEach(old -> replace.add(Change.update("token", purpose.toolName(), old.id(),
                        "deactivated (replaced by the new token" + grantsChange(old.permissions(), wanted) + ")", () -> {
                    api.setAuthorizationStatus(old.id(), "inactive");
                    return Change.Applied.id(old.id());
                })));
            }
            plan.inOrder(replace);
            return plan;
        } catch (ApiException e) {
            throw explained(e);
        }
    }

    private String tokenUser(InfluxApi api) {
        if (user == null) {
            return api.me().getString("id", "");
        }
        if (!Org.isId(user)) {
            throw new UsageException("--user must be a 16-digit hex user ID, got '" + user + "'");
        }
        return user;
    }

    /**
     * InfluxDB 2.9 stores only a hash of the token, so the answer to this POST is the one chance
     * to read it: a token that cannot be written where asked is deleted again, not left unknown.
     */
    private Change.Applied create(InfluxApi api, Org org, String owner, List<Permission> wanted, boolean force)
            throws IOException {
        InfluxApi.CreatedToken created;
        try {
            created = api.createAuthorization(org.id(), owner, purpose.description(), wanted);
        } catch (ApiException e) {
            throw explained(e);
        }
        String id = created.authorization().id();
        if (outputFile == null) {
            return Change.Applied.token(id, created.token());
        }
        try {
            SecretFile.write(outputFile, created.token(), force);
        } catch (IOException e) {
            api.deleteAuthorization(id);
            throw new IOException("cannot write " + outputFile + " (" + e + "), so the new token was deleted again", e);
        }
        return Change.Applied.id(id);
    }

    private static ApiException explained(ApiException e) {
        return e.isAuthFailure() ? e.withAdvice(TOKEN_ADVICE) : e;
    }

    /** Why an old token is replaced when its grants are not the wanted ones, e.g. an older tokenmaker's. */
    private static String grantsChange(List<Permission> old, List<Permission> wanted) {
        List<String> changes = new ArrayList<>();
        wanted.stream().filter(permission -> !old.contains(permission))
                .forEach(permission -> changes.add("+" + permission.action() + ":" + permission.type()));
        old.stream().filter(permission -> !wanted.contains(permission))
                .forEach(permission -> changes.add("-" + permission.action() + ":" + permission.type()));
        return changes.isEmpty() ? "" : "; its grants differ: " + String.join(" ", changes);
    }

    private static String describe(List<Permission> permissions) {
        return permissions.stream().map(permission -> permission.action() + ":" + permission.type())
                .collect(Collectors.joining(" "));
    }

    /** An unknown --for is a usage error before anything is sent. */
    static final class PurposeConverter implements ITypeConverter<TokenPurpose> {
        @Override
        public TokenPurpose convert(String value) {
            return TokenPurpose.named(value).orElseThrow(() ->
                    new TypeConversionException("unknown tool '" + value + "'; choose one of " + TokenPurpose.choices()));
        }
    }
}

package cli;

import java.util.Optional;
import java.util.function.Supplier;

import influx.ApiException;
import influx.InfluxApi;
import influx.Org;
import plan.Plan;
import plan.RunLock;

/** What a tool's planning code works with: the API, the resolved org, and the run's settings. */
public record Session(String tool, InfluxApi api, Org org, Settings settings) {

    /**
     * Plans, and if anything must change, plans again under the tool's run lock on the org, so that
     * two runs at once never both write (see RunLock).
     */
    public Plan planUnderLock(Supplier<Plan> planner) {
        return new RunLock(api, org.id(), tool, settings.lockTimeout(), settings.lockWait())
                .planUnderLock(settings.dryRun(), planner);
    }

    /** The same, with a label as the lock: for a tool whose token may not write buckets (taskmaker). */
    public Plan planUnderLabelLock(Supplier<Plan> planner) {
        return RunLock.onLabel(api, org.id(), tool, settings.lockTimeout(), settings.lockWait())
                .planUnderLock(settings.dryRun(), planner);
    }

    /**
     * Finds the org by ID or by name; an unknown org is the operator's mistake (exit 2). A token
     * whose org grant is scoped by orgID (as the original Python tokenmaker made them) cannot read
     * the org itself, by name or by ID, but the buckets API names the org's ID next to each bucket
     * it lets the token see: given the ID, that is enough to go on; given the name, the error says
     * so and gives the ID to pass instead. (Not silently: a token that cannot read its org is
     * still a token without that grant, and tokenmaker's grant sets say which grant each tool needs.)
     */
    static Org resolveOrg(InfluxApi api, Settings settings) {
        if (settings.orgId() != null) {
            Optional<Org> byId;
            try {
                byId = api.orgById(settings.orgId());
            } catch (ApiException e) {
                if (!e.isAuthFailure()) {
                    throw e;
                }
                byId = Optional.empty();
            }
            return byId.or(() -> api.orgThroughBuckets(null, settings.orgId())).orElseThrow(() ->
                    new UsageException("no organisation with ID " + settings.orgId() + " is visible to this token"
                            + " (it may read neither the org nor any of its buckets)"));
        }
        String name = settings.orgName();
        return api.orgByName(name).orElseThrow(() -> {
            if (Org.isId(name)) {
                return new UsageException("no organisation named '" + name + "': that looks like an org ID; pass it as --org-id,"
                        + " or give --org the org's name");
            }
            return api.orgThroughBuckets(name, null)
                    .map(org -> new UsageException("no organisation named '" + name + "' is visible to this token, but its"
                            + " buckets are: the token may see that org only by its ID; pass --org-id " + org.id()
                            + " (or INFLUXDB_ORG_ID) instead of the name"))
                    .orElseGet(() -> new UsageException("no organisation named '" + name + "' is visible to this token"
                            + " (--org expects the organisation's name, not its ID)"));
        });
    }
}

package cli;

import java.util.function.Supplier;

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

    /** Finds the org by ID or by name; an unknown org is the operator's mistake (exit 2). */
    static Org resolveOrg(InfluxApi api, Settings settings) {
        if (settings.orgId() != null) {
            return api.orgById(settings.orgId()).orElseThrow(() ->
                    new UsageException("no organisation with ID " + settings.orgId() + " is visible to this token"));
        }
        String name = settings.orgName();
        return api.orgByName(name).orElseThrow(() -> new UsageException(Org.isId(name)
                ? "no organisation named '" + name + "': that looks like an org ID; pass it as --org-id, or give --org the org's name"
                : "no organisation named '" + name + "' is visible to this token (--org expects the organisation's name, not its ID)"));
    }
}

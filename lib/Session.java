/** What a tool's planning code works with: the API, the resolved org, and the run's settings. */
public record Session(InfluxApi api, Org org, Settings settings) {

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

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import influx.Bucket;
import influx.Dbrp;
import influx.InfluxApi;
import influx.Org;

/** What a tool could change in an org, to show that a failed run changed nothing. */
public record OrgState(List<Dbrp> dbrps, List<Bucket> buckets) {

    public static OrgState of(InfluxApi api, Org org) {
        return new OrgState(
                api.dbrps(org.id()).stream().sorted(Comparator.comparing(Dbrp::id)).toList(),
                api.buckets(org.id()).stream().sorted(Comparator.comparing(Bucket::id)).toList());
    }

    /** How many physical (not virtual) mappings each database has: converged means 1 everywhere. */
    public Map<String, Long> physicalMappingsPerDatabase() {
        return dbrps.stream().filter(mapping -> !mapping.virtual())
                .collect(Collectors.groupingBy(Dbrp::database, Collectors.counting()));
    }
}

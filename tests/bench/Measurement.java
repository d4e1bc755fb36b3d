import java.util.Comparator;
import java.util.List;

/** One measured process: wall time from start to exit, its CPU time, the requests influxd served meanwhile, peak RSS. */
public record Measurement(long millis, long cpuMillis, long requests, long peakRssKb, int exitCode) {
    /** The run of median wall time among repeats (timings on a shared 2-core machine are noisy). */
    public static Measurement median(List<Measurement> repeats) {
        List<Measurement> sorted = repeats.stream().sorted(Comparator.comparingLong(Measurement::millis)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The median of each figure on its own. */
    public static long medianCpu(List<Measurement> repeats) {
        return repeats.stream().map(Measurement::cpuMillis).sorted().toList().get(repeats.size() / 2);
    }

    public static long medianRssKb(List<Measurement> repeats) {
        return repeats.stream().map(Measurement::peakRssKb).sorted().toList().get(repeats.size() / 2);
    }

    public String seconds() {
        return String.format("%.2f", millis / 1000.0);
    }
}

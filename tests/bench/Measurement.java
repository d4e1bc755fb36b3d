import java.util.Comparator;
import java.util.List;

/** One measured process: wall time from start to exit, requests counted by the client and by influxd, peak RSS. */
public record Measurement(long millis, int clientRequests, long serverRequests, long peakRssKb, int exitCode) {
    /** The run of median wall time among repeats (timings on a shared 2-core machine are noisy). */
    public static Measurement median(List<Measurement> repeats) {
        List<Measurement> sorted = repeats.stream().sorted(Comparator.comparingLong(Measurement::millis)).toList();
        return sorted.get(sorted.size() / 2);
    }

    public String seconds() {
        return String.format("%.2f", millis / 1000.0);
    }

    public String requests() {
        return (clientRequests < 0 ? "-" : Integer.toString(clientRequests)) + " / " + serverRequests;
    }

    public String peakRssMb() {
        return Long.toString(Math.round(peakRssKb / 1024.0));
    }
}

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import influx.Bucket;
import influx.InfluxApi;
import influx.Org;

/** Creates many buckets quickly, a bounded number at once, so that large-org tests stay fast. */
public final class Buckets {
    private static final int IN_FLIGHT = 8;

    private Buckets() {}

    /** Buckets "prefix0000".. with one hour of retention; answers their names. */
    public static List<String> create(InfluxApi api, Org org, String prefix, int count) {
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format("%s%04d", prefix, i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<Bucket>> created = names.stream()
                    .map(name -> pool.submit(() -> api.createBucket(org.id(), name, 3600, ""))).toList();
            for (Future<Bucket> bucket : created) {
                bucket.get();
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException("creating " + count + " buckets failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}

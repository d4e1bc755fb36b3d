import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import influx.Authorization;
import influx.Bucket;
import influx.Dbrp;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import tokens.Multiapp;

/**
 * One org of the benchmark: N application buckets (a few with Telegraf-like data) and the host
 * bucket. Between measurements it is put back to that seeded state, and it writes the floor's
 * request scripts from what the tools created.
 */
public final class BenchOrg {
    static final String HOST_BUCKET = "roundtable_internal_";
    private static final int WITH_DATA = 5;
    /** Resetting is not measured; it may use more of the server than the tools do. */
    private static final int RESET_IN_FLIGHT = 8;

    private final InfluxApi api;
    private final Org org;

    private BenchOrg(InfluxApi api, Org org) {
        this.api = api;
        this.org = org;
    }

    public static BenchOrg seed(Admin admin, int applications) {
        InfluxApi api = admin.api();
        Org org = admin.createOrg("bench-" + applications);
        List<String> apps = Buckets.create(api, org, "app", applications);
        api.createBucket(org.id(), HOST_BUCKET, 0, "");
        Multiapp.create(api, org.id());
        long now = System.currentTimeMillis() / 1000;
        for (String app : apps.subList(0, Math.min(WITH_DATA, apps.size()))) {
            StringBuilder lines = new StringBuilder();
            for (int pod = 0; pod < 3; pod++) {
                lines.append("kubernetes_pod_container,cluster=bench,namespace=").append(app).append(",pod_name=").append(app)
                        .append("-").append(pod).append(",container_name=main,phase=Running,state=running")
                        .append(" restarts_total=").append(pod).append("i,state_code=0i,state_reason=\"\" ").append(now - 60)
                        .append('\n');
            }
            admin.write(org.id(), app, lines.toString());
        }
        admin.write(org.id(), HOST_BUCKET, "disk,host=bench,path=/ used_percent=42.5 " + now + "\n");
        return new BenchOrg(api, org);
    }

    public Org org() {
        return org;
    }

    // --- back to the seeded state ------------------------------------------------------------

    public void removeDbrps() {
        inParallel(api.dbrps(org.id()).stream().filter(mapping -> !mapping.virtual()).toList(),
                mapping -> api.deleteDbrp(org.id(), mapping.id()));
    }

    /** multiapp_ stays: an operator's tokenmaker run makes it once, taskmaker only uses it. */
    public void removeTasks() {
        inParallel(api.tasks(org.id()), task -> api.deleteTask(task.id()));
    }

    public void removeTokens() {
        inParallel(api.authorizations(org.id()).stream()
                .filter(token -> token.description().contains("(tokenmaker)")).toList(),
                token -> api.deleteAuthorization(token.id()));
    }

    // --- the floor's requests ----------------------------------------------------------------

    /**
     * The org lookup, which goes first, and one listing of every bucket in a chain of its own,
     * paged as the tools must page it: until an empty page (a short page may not be the last).
     */
    private List<String> orgAndBucketReads() {
        List<String> reads = new ArrayList<>();
        reads.add(get("first", "/api/v2/orgs?org=" + java.net.URLEncoder.encode(org.name(), java.nio.charset.StandardCharsets.UTF_8)));
        int buckets = api.buckets(org.id()).size();
        int pages = (buckets + InfluxApi.BUCKET_PAGE - 1) / InfluxApi.BUCKET_PAGE + 1;
        for (int page = 0; page < pages; page++) {
            reads.add(get("buckets", "/api/v2/buckets?orgID=" + org.id() + "&limit=" + InfluxApi.BUCKET_PAGE
                    + "&offset=" + page * InfluxApi.BUCKET_PAGE));
        }
        return reads;
    }

    /** bucketmapper: the listings, then one create per mapping it made (read back from the server). */
    public List<String> bucketmapperRequests(boolean withCreates) {
        List<String> requests = orgAndBucketReads();
        requests.add(get("dbrps", "/api/v2/dbrps?orgID=" + org.id()));
        if (withCreates) {
            for (Dbrp mapping : api.dbrps(org.id())) {
                if (!mapping.virtual()) {
                    requests.add(post("/api/v2/dbrps", Json.object().add("orgID", org.id()).add("bucketID", mapping.bucketId())
                            .add("database", mapping.database()).add("retention_policy", mapping.retentionPolicy())
                            .add("default", true)));
                }
            }
        }
        return requests;
    }

    /**
     * taskmaker: the listings (tasks paged by 500 after the last ID seen, until a short page), the
     * secrets, then every task it made.
     */
    public List<String> taskmakerRequests(boolean withCreates) {
        List<String> requests = orgAndBucketReads();
        List<Task> tasks = api.tasks(org.id());
        List<Task> existing = withCreates ? List.of() : tasks;
        for (int listed = 0; listed <= existing.size(); listed += InfluxApi.TASK_PAGE) {
            requests.add(get("tasks", "/api/v2/tasks?orgID=" + org.id() + "&limit=" + InfluxApi.TASK_PAGE
                    + (listed == 0 ? "" : "&after=" + existing.get(listed - 1).id())));
        }
        requests.add(get("secrets", "/api/v2/orgs/" + org.id() + "/secrets"));
        if (withCreates) {
            for (Task task : tasks) {
                requests.add(post("/api/v2/tasks", Json.object().add("orgID", org.id()).add("flux", task.flux())
                        .add("description", "influx-tools taskmaker: bench").add("status", "active")));
            }
        }
        return requests;
    }

    /** tokenmaker: the org, then the token's user and the org's owners next to the org's tokens and the multiapp_ lookup, then the one token it made. */
    public List<String> tokenmakerRequests(boolean withCreates) {
        List<String> requests = new ArrayList<>(List.of(get("first", "/api/v2/orgs?org=" + java.net.URLEncoder.encode(org.name(), java.nio.charset.StandardCharsets.UTF_8)),
                get("user", "/api/v2/me"), get("user", "/api/v2/orgs/" + org.id() + "/owners"),
                get("tokens", "/api/v2/authorizations?orgID=" + org.id()),
                // Whether multiapp_ exists, which the benchmark's org always has: tokenmaker --for taskmaker only looks.
                get("multiapp", "/api/v2/buckets?orgID=" + org.id() + "&name=" + Bucket.MULTIAPP)));
        if (withCreates) {
            for (Authorization token : api.authorizations(org.id())) {
                if (token.description().contains("(tokenmaker)")) {
                    JsonArray grants = Json.array();
                    token.permissions().forEach(permission -> grants.add(permission.toJson()));
                    requests.add(post("/api/v2/authorizations", Json.object().add("orgID", org.id())
                            .add("userID", token.userId()).add("description", token.description() + " floor")
                            .add("status", "active").add("permissions", grants)));
                }
            }
        }
        return requests;
    }

    public static Path write(Path file, List<String> requests) {
        try {
            return Files.write(file, requests);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e, e);
        }
    }

    /** A read in a chain of reads: FloorClient sends the chains at once, as the tools do, each in order. */
    private static String get(String chain, String path) {
        return "GET\t" + chain + "\t" + path;
    }

    private static String post(String path, JsonObject body) {
        return "POST\t" + path + "\t" + body;
    }

    private static <T> void inParallel(List<T> items, Consumer<T> action) {
        ExecutorService pool = Executors.newFixedThreadPool(RESET_IN_FLIGHT);
        try {
            List<Future<?>> done = new ArrayList<>();
            items.forEach(item -> done.add(pool.submit(() -> action.accept(item))));
            for (Future<?> each : done) {
                each.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("resetting the benchmark org failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}

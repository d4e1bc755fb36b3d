import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.eclipsesource.json.JsonObject;
import influx.InfluxApi;
import influx.Org;
import influx.Task;
import influx.TaskRun;

/**
 * A few minutes of a cluster's life as the real Telegraf reports it: its kube_inventory input reads
 * pods (real Pod objects, one per situation the generated tasks must tell apart) from a
 * {@link KubernetesApi} stand-in, once per sample, and its line protocol goes into the application
 * buckets "shop", "billing" and "inventory" (one bucket per namespace). Earlier samples are
 * gathered now and written with the sample's timestamp; the last one Telegraf writes itself, with
 * its influxdb_v2 output and the token tokenmaker makes for it.
 *
 * <ul>
 * <li>shop and inventory are read by two agents (kube_inventory in a DaemonSet: hosts node-a and
 * node-b, global tag cluster=prod-east), node-b's clock two seconds ahead; billing by one agent
 * without a cluster tag (node-c).
 * <li>A 97 % full disk cannot be made here, so the host bucket gets lines of Telegraf's disk
 * schema, checked against a real gather of this machine's disks.
 * </ul>
 * The buckets must exist.
 */
public final class TelegrafSamples implements AutoCloseable {
    /** Seconds before the last sample at which the earlier samples are taken. */
    static final int[] HISTORY = {-420, -150, -120, -90, -60, -30};
    static final Telegraf.Agent NODE_A = new Telegraf.Agent("node-a", "prod-east", List.of("shop", "inventory"));
    static final Telegraf.Agent NODE_B = new Telegraf.Agent("node-b", "prod-east", List.of("shop", "inventory"));
    static final Telegraf.Agent NODE_C = new Telegraf.Agent("node-c", null, List.of("billing"));
    static final List<String> DISK_TAGS = List.of("device", "fstype", "host", "label", "mode", "path");

    private final TestCertificates certificates = TestCertificates.create();
    private final KubernetesApi kubernetes;
    private final Telegraf telegraf;
    /** The time the samples are counted from: the last of them, which Telegraf itself writes, is taken at about it. */
    private Instant t0;
    /** The crash-looping worker's restart count in the latest sample. */
    private int workerRestarts;

    public TelegrafSamples() throws IOException {
        Telegraf.binary();
        kubernetes = new KubernetesApi(certificates);
        telegraf = new Telegraf(kubernetes, certificates.caCert());
    }

    /** The buckets the samples go to, each keeping a day: the three applications and the host bucket. */
    public static void createBuckets(InfluxApi api, Org org) {
        for (String bucket : List.of("shop", "billing", "inventory", "roundtable_internal_")) {
            api.createBucket(org.id(), bucket, 86_400, "");
        }
    }

    /** The whole history, up to a last sample at about now. */
    public void write(Admin admin, Org org, String influxUrl, String telegrafToken) {
        t0 = Instant.now().plusSeconds(1);
        for (int offset : HISTORY) {
            Instant at = t0.plusSeconds(offset);
            for (Telegraf.Agent agent : List.of(NODE_A, NODE_B, NODE_C)) {
                // node-b's clock runs ahead: its view of the previous sample arrives stamped after node-a's.
                boolean skewed = agent == NODE_B && offset == -90;
                kubernetes.setPods(cluster(t0, skewed ? -120 : offset));
                writeAt(admin, org, telegraf.gather(agent), skewed ? at.plusSeconds(2) : at);
            }
            writeDisks(admin, org, at);
        }
        kubernetes.setPods(cluster(t0, 0));
        for (Telegraf.Agent agent : List.of(NODE_A, NODE_B, NODE_C)) {
            telegraf.write(agent, influxUrl, telegrafToken, org.name());
        }
        workerRestarts = 10;
        settle();
    }

    /** One more sample, written by Telegraf now: the crash-looping worker has restarted once more. */
    public void writeAnotherRestart(String influxUrl, String telegrafToken, Org org) {
        workerRestarts++;
        List<JsonObject> pods = new ArrayList<>(cluster(t0, 0));
        pods.removeIf(pod -> pod.get("metadata").asObject().getString("name", "").startsWith("worker-"));
        pods.add(worker(t0, workerRestarts, false));
        kubernetes.setPods(pods);
        telegraf.write(NODE_C, influxUrl, telegrafToken, org.name());
        settle();
    }

    /**
     * Waits until Telegraf's last sample (stamped to the second, and perhaps rounded up) lies in a
     * past second: a forced task run sees only data strictly before the second it starts in.
     */
    private static void settle() {
        try {
            Thread.sleep(2_000 - Instant.now().getNano() / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Just after each earlier sample: when the scheduler would have run a task that watches them
     * (TaskRuns.runAsOf), had they been written as they were taken.
     */
    public List<Instant> afterEachEarlierSample() {
        return java.util.Arrays.stream(HISTORY).mapToObj(offset -> t0.plusSeconds(offset + 5)).toList();
    }

    /**
     * The record task's runs as the scheduler would have made them while the samples came in: just
     * after each earlier sample, then now. Each must succeed.
     */
    public void record(InfluxApi api, Map<String, Task> tasks) {
        for (Instant at : afterEachEarlierSample()) {
            TaskRun ran = TaskRuns.runAsOf(api, tasks.get("_record_events").id(), at, Duration.ofSeconds(60));
            assertEquals("success", ran.status(), "_record_events as of " + at + ": " + String.join("\n", ran.log()));
        }
        TaskRuns.succeeds(api, tasks.get("_record_events"));
    }

    /** When the samples' clock started: the earlier samples are stamped relative to it. */
    public Instant t0() {
        return t0;
    }

    public KubernetesApi kubernetes() {
        return kubernetes;
    }

    /**
     * The cluster's pods at a sample taken {@code offset} seconds from t0. A pod appears from
     * its creation on.
     */
    static List<JsonObject> cluster(Instant t0, int offset) {
        Instant now = t0.plusSeconds(offset);
        Instant longAgo = t0.minusSeconds(86_400);
        List<Pods.Pod> pods = new ArrayList<>();

        // shop: one restart (3 -> 4 at -90), seen by both agents.
        Pods.Pod web = Pods.ofDeployment("shop", "web", "7d9f8c6b5", "x2x4q").node("node-1").created(longAgo);
        Pods.Container webContainer = web.container("web", "registry.example.com/shop/web:1.4.2");
        if (offset < -90) {
            webContainer.running(longAgo.plusSeconds(5)).restarts(3)
                    .lastTerminated(1, "Error", longAgo.plusSeconds(2), longAgo.plusSeconds(4));
        } else {
            webContainer.running(t0.minusSeconds(95)).restarts(4)
                    .lastTerminated(1, "Error", longAgo.plusSeconds(5), t0.minusSeconds(97));
        }
        pods.add(web);

        // shop: a StatefulSet pod recreated under the same name: its restart count starts again at 0.
        Pods.Pod cache = Pods.ofStatefulSet("shop", "cache", 0).node("node-2");
        if (offset < -60) {
            cache.created(longAgo).uid("1b0c7a52-5f0e-4a57-9d4b-8c1e6f2a9d01")
                    .container("redis", "redis:7.2.4").running(longAgo.plusSeconds(3)).restarts(5);
        } else {
            cache.created(t0.minusSeconds(75)).uid("7f3e1d44-2c8b-4e91-b6a0-3d5f9e8c7b12")
                    .container("redis", "redis:7.2.4").running(t0.minusSeconds(70)).restarts(0);
        }
        pods.add(cache);

        // shop: normal start-up, younger than the grace period.
        if (offset >= -90) {
            Pods.Pod checkout = Pods.ofDeployment("shop", "checkout", "6b7c9d", "fr8wz").node("node-2").phase("Pending")
                    .created(t0.minusSeconds(100));
            checkout.container("checkout", "registry.example.com/shop/checkout:3.0.0").waiting("ContainerCreating", null);
            pods.add(checkout);
        }
        if (offset >= -60) {
            Pods.Pod search = Pods.ofDeployment("shop", "search", "5f4d8b", "q7mzp").node("node-1").phase("Pending")
                    .created(t0.minusSeconds(70));
            search.initContainer("migrate-schema", "registry.example.com/shop/search:2.1.0").running(t0.minusSeconds(65));
            search.container("search", "registry.example.com/shop/search:2.1.0").waiting("PodInitializing", null);
            pods.add(search);
        }
        if (offset >= -30) {
            Pods.Pod mailer = Pods.ofDeployment("shop", "mailer", "8c5f7d", "zt2nw").created(t0.minusSeconds(50))
                    .unschedulable("0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available:"
                            + " 3 No preemption victims found for incoming pod.");
            mailer.container("mailer", "registry.example.com/shop/mailer:1.0.3").noStatus();
            pods.add(mailer);
        }

        // shop: start-up that never ends: Pending for longer than the grace period.
        Pods.Pod importer = Pods.ofDeployment("shop", "importer", "5d6c7b", "vv9kd").node("node-3").phase("Pending")
                .created(t0.minusSeconds(500));
        importer.container("importer", "registry.example.com/shop/importer:0.9.1").waiting("ContainerCreating", null);
        pods.add(importer);
        Pods.Pod trainer = Pods.ofStatefulSet("shop", "gpu-trainer", 0).created(t0.minusSeconds(500))
                .unschedulable("0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available:"
                        + " 3 No preemption victims found for incoming pod.");
        trainer.container("trainer", "registry.example.com/shop/trainer:5.2").noStatus();
        pods.add(trainer);

        // shop: a finished Job, and a healthy pod of two containers.
        Pods.Pod migrate = Pods.ofJob("shop", "migrate-28716540", "h7x2k").node("node-1").phase("Succeeded").created(t0.minusSeconds(3600));
        migrate.container("migrate", "registry.example.com/shop/web:1.4.2")
                .terminated(0, "Completed", t0.minusSeconds(3590), t0.minusSeconds(3500));
        pods.add(migrate);
        Pods.Pod frontend = Pods.ofDeployment("shop", "frontend", "77c9f6", "m2n8b").node("node-3").created(longAgo);
        frontend.container("nginx", "nginx:1.27.3").running(longAgo.plusSeconds(4));
        frontend.container("metrics", "nginx/nginx-prometheus-exporter:1.4.0").running(longAgo.plusSeconds(4));
        pods.add(frontend);

        // inventory: nothing wrong.
        Pods.Pod api = Pods.ofDeployment("inventory", "inventory-api", "59d8c7", "b6t4r").node("node-2").created(longAgo);
        api.container("api", "registry.example.com/inventory/api:8.1.0").running(longAgo.plusSeconds(6)).restarts(0);
        pods.add(api);
        Pods.Pod sync = Pods.ofJob("inventory", "inventory-sync-28716500", "c4d5x").node("node-1").phase("Succeeded")
                .created(t0.minusSeconds(2000));
        sync.container("sync", "registry.example.com/inventory/sync:8.1.0")
                .terminated(0, "Completed", t0.minusSeconds(1990), t0.minusSeconds(1900));
        pods.add(sync);

        // billing: a crash loop.
        List<JsonObject> json = new ArrayList<>();
        int[] restarts = {5, 6, 7, 7, 8, 9, 10};
        int sample = offset == 0 ? HISTORY.length : java.util.Arrays.binarySearch(HISTORY, offset);
        json.add(worker(t0, restarts[sample], offset == -150 || offset == -60));

        // billing: containers that cannot start, whatever the pod's phase.
        pods.add(cannotStart(t0, "payments", "8f6d4c", "Pending", "ImagePullBackOff",
                "Back-off pulling image \"registry.example.com/billing/payments:2.0.1\"", "registry.example.com/billing/payments:2.0.1"));
        pods.add(cannotStart(t0, "invoices", "4c8b2d", "Pending", "ErrImagePull",
                "failed to pull and unpack image \"registry.example.com/billing/invoices:1.9.9\": not found",
                "registry.example.com/billing/invoices:1.9.9"));
        pods.add(cannotStart(t0, "dunning", "6d9e3f", "Pending", "CreateContainerConfigError",
                "secret \"billing-db\" not found", "registry.example.com/billing/dunning:1.2.0"));
        pods.add(cannotStart(t0, "tax", "3b7a1c", "Pending", "InvalidImageName",
                "Failed to apply default image tag \"registry.example.com/billing/tax:1.0:rc1\": couldn't parse image name",
                "registry.example.com/billing/tax:1.0:rc1"));
        Pods.Pod cron = Pods.ofDeployment("billing", "cron", "9a2b4e", "j5k6l").node("node-2").created(longAgo);
        cron.container("cron", "registry.example.com/billing/cron:1.1.0").restarts(2)
                .waiting("RunContainerError", "failed to create containerd task: failed to start shim: exec: \"/usr/local/bin/cron\": permission denied")
                .lastTerminated(128, "StartError", t0.minusSeconds(40), t0.minusSeconds(40));
        pods.add(cron);

        // billing: OOMKilled, a Deployment's container caught terminated, and a Job's pod that stays so.
        Pods.Pod reports = Pods.ofDeployment("billing", "reports", "7f6d5c", "p9q8r").node("node-3").created(longAgo);
        Pods.Container reportsContainer = reports.container("reports", "registry.example.com/billing/reports:4.4.0").restarts(3);
        if (offset == 0) {
            reportsContainer.terminated(137, "OOMKilled", t0.minusSeconds(600), t0.minusSeconds(3));
        } else {
            reportsContainer.running(t0.minusSeconds(600));
        }
        pods.add(reports);
        Pods.Pod export = Pods.ofJob("billing", "nightly-export-28716600", "x5k2d").node("node-1").phase("Failed")
                .created(t0.minusSeconds(1200));
        export.container("export", "registry.example.com/billing/export:2.3.1")
                .terminated(137, "OOMKilled", t0.minusSeconds(1190), t0.minusSeconds(900));
        pods.add(export);

        // billing: an evicted pod; its container's status is lost with it.
        Pods.Pod ledger = Pods.ofDeployment("billing", "ledger", "6c9b8d", "w4xk7").node("node-3").phase("Failed")
                .created(longAgo).reason("Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi,"
                        + " available: 91040Ki. Container ledger was using 1436096Ki, request is 512Mi, has larger"
                        + " consumption of memory. ");
        ledger.container("ledger", "registry.example.com/billing/ledger:6.0.2")
                .terminated(137, "ContainerStatusUnknown", longAgo.plusSeconds(9), t0.minusSeconds(800));
        pods.add(ledger);

        for (Pods.Pod pod : pods) {
            json.add(pod.json());
        }
        return json;
    }

    /** The crash-looping worker: running just after a restart, otherwise backing off. */
    static JsonObject worker(Instant t0, int restarts, boolean justRestarted) {
        Pods.Pod worker = Pods.ofDeployment("billing", "worker", "55c1d9", "k2j4x").node("node-2").created(t0.minusSeconds(86_400));
        Pods.Container container = worker.container("worker", "registry.example.com/billing/worker:2.7.0").restarts(restarts)
                .lastTerminated(1, "Error", t0.minusSeconds(40), t0.minusSeconds(35));
        if (justRestarted) {
            container.running(t0.minusSeconds(5));
        } else {
            container.waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=worker pod=" + worker.name() + "_billing(...)");
        }
        return worker.json();
    }

    private static Pods.Pod cannotStart(Instant t0, String deployment, String hash, String phase, String reason, String message, String image) {
        Pods.Pod pod = Pods.ofDeployment("billing", deployment, hash, "r2d2x").node("node-1").phase(phase).created(t0.minusSeconds(65));
        pod.container(deployment, image).waiting(reason, message);
        return pod;
    }

    /** Each line into the bucket named by its namespace tag, with the sample's timestamp (seconds). */
    static void writeAt(Admin admin, Org org, List<String> lines, Instant at) {
        Map<String, List<String>> byBucket = new LinkedHashMap<>();
        Pattern namespace = Pattern.compile("[,]namespace=([^,\\s]+)");
        for (String line : lines) {
            Matcher matcher = namespace.matcher(line);
            if (!matcher.find()) {
                throw new AssertionError("a kube_inventory line without namespace: " + line);
            }
            byBucket.computeIfAbsent(matcher.group(1), key -> new ArrayList<>())
                    .add(line.substring(0, line.lastIndexOf(' ') + 1) + at.getEpochSecond());
        }
        byBucket.forEach((bucket, bucketLines) -> admin.write(org.id(), bucket, String.join("\n", bucketLines)));
    }

    /**
     * The host's disks: a real disk above each threshold (one row without a host tag, as
     * omit_hostname = true writes it), and full filesystems that are no disk space problem.
     */
    static List<String> diskLines(long epochSecond) {
        return List.of(
                disk("roundtable01", "vdb", "ext4", "rw", "/data", 97.2),
                disk(null, "vdc", "xfs", "rw", "/var/lib/influxdb", 88.5),
                disk("roundtable01", "vda", "ext4", "rw", "/", 40.0),
                disk("roundtable01", "loop3", "squashfs", "ro", "/snap/core20/2318", 100.0),
                disk("roundtable01", "sr0", "iso9660", "ro", "/media/cdrom", 100.0),
                disk("roundtable01", "vdd", "ext4", "ro", "/srv/archive", 99.1),
                disk("roundtable01", "tmpfs", "tmpfs", "rw", "/run", 99.0),
                disk(null, "overlay", "overlay", "rw", "/run/containerd/io.containerd.runtime.v2.task/k8s.io/3f2a/rootfs", 96.0))
                .stream().map(line -> line + " " + epochSecond).toList();
    }

    /** One line as Telegraf's disk input writes it: these tags, these fields, used_percent a float. */
    private static String disk(String host, String device, String fstype, String mode, String path, double usedPercent) {
        long total = 107_374_182_400L;
        long used = (long) (total * usedPercent / 100);
        long inodesTotal = 6_553_600;
        long inodesUsed = inodesTotal / 10;
        return "disk,device=" + device + ",fstype=" + fstype + (host == null ? "" : ",host=" + host) + ",mode=" + mode
                + ",path=" + path.replace(" ", "\\ ")
                + " free=" + (total - used) + "i,inodes_free=" + (inodesTotal - inodesUsed) + "i,inodes_total=" + inodesTotal
                + "i,inodes_used=" + inodesUsed + "i,inodes_used_percent=" + (100.0 * inodesUsed / inodesTotal)
                + ",total=" + total + "i,used=" + used + "i,used_percent=" + usedPercent;
    }

    private void writeDisks(Admin admin, Org org, Instant at) {
        admin.write(org.id(), "roundtable_internal_", String.join("\n", diskLines(at.getEpochSecond())));
    }

    /** Fails unless the hand-written disk lines have exactly the fields, and only tags, of a real gather. */
    public void checkDiskSchema() {
        List<String> real = telegraf.gatherDisks();
        if (real.isEmpty()) {
            throw new AssertionError("Telegraf's disk input reported no disk on this machine");
        }
        for (String line : real) {
            TreeSet<String> ours = fieldKeys(diskLines(0).get(0));
            if (!fieldKeys(line).equals(ours)) {
                throw new AssertionError("Telegraf writes the fields " + fieldKeys(line) + ", the samples " + ours + ": " + line);
            }
            for (String tag : tagKeys(line)) {
                if (!DISK_TAGS.contains(tag)) {
                    throw new AssertionError("Telegraf writes a disk tag the samples do not know: " + tag + " in " + line);
                }
            }
        }
    }

    static TreeSet<String> fieldKeys(String line) {
        String fields = line.split("(?<!\\\\) ")[1];
        TreeSet<String> keys = new TreeSet<>();
        for (String field : fields.split(",")) {
            keys.add(field.substring(0, field.indexOf('=')));
        }
        return keys;
    }

    static TreeSet<String> tagKeys(String line) {
        String[] series = line.split("(?<!\\\\) ")[0].split("(?<!\\\\),");
        TreeSet<String> keys = new TreeSet<>();
        for (int i = 1; i < series.length; i++) {
            keys.add(series[i].substring(0, series[i].indexOf('=')));
        }
        return keys;
    }

    @Override
    public void close() {
        kubernetes.close();
    }
}

import java.time.Instant;

import influx.Org;

/**
 * Points as Telegraf's kube_inventory and disk inputs write them, one of each case the generated
 * tasks must tell apart: a restarting container and a pod still starting (bucket "shop"), a crash
 * loop (bucket "billing"), a Completed job, and a 97% full disk (bucket "roundtable_internal_").
 * The buckets must exist.
 */
public final class TelegrafSamples {
    private static final String CONTAINER = "kubernetes_pod_container,cluster=prod-east,namespace=%s,pod_name=%s,"
            + "container_name=%s,node_name=n1,phase=%s,readiness=%s,state=%s restarts_total=%di,state_code=%di%s %d";

    private TelegrafSamples() {}

    /**
     * Written two minutes in the past: a forced task run sees only data strictly before the second
     * it starts in.
     */
    public static void write(Admin api, Org org) {
        long t = Instant.now().getEpochSecond() - 120;
        // shop: a container that restarts (3 -> 4), one finished job, one pod still starting.
        api.write(org.id(), "shop", String.join("\n",
                String.format(CONTAINER, "shop", "web-7d9f", "web", "Running", "ready", "running", 3, 0, "", t),
                String.format(CONTAINER, "shop", "web-7d9f", "web", "Running", "ready", "running", 4, 0, "", t + 30),
                String.format(CONTAINER, "shop", "migrate-job", "migrate", "Succeeded", "unready", "terminated", 0, 1,
                        ",state_reason=\"Completed\"", t + 30),
                String.format(CONTAINER, "shop", "new-pod", "app", "Pending", "unready", "waiting", 0, 2,
                        ",state_reason=\"ContainerCreating\"", t + 30)));
        // billing: a container in a crash loop.
        api.write(org.id(), "billing", String.join("\n",
                String.format(CONTAINER, "billing", "worker-55c1", "worker", "Running", "unready", "waiting", 7, 2,
                        ",state_reason=\"CrashLoopBackOff\"", t),
                String.format(CONTAINER, "billing", "worker-55c1", "worker", "Running", "unready", "waiting", 7, 2,
                        ",state_reason=\"CrashLoopBackOff\"", t + 30)));
        api.write(org.id(), "roundtable_internal_", String.join("\n",
                "disk,host=roundtable01,path=/data,device=vdb,fstype=ext4 used_percent=97.2 " + (t + 30),
                "disk,host=roundtable01,path=/,device=vda,fstype=ext4 used_percent=40.0 " + (t + 30)));
    }
}

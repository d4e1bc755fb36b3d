import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;

/**
 * Kubernetes {@code Pod} objects as the API server returns them (core/v1: metadata, spec, status
 * with conditions and container statuses), for {@link KubernetesApi}. Only what a situation needs
 * is set by the caller; the rest is what a cluster fills in for such a pod.
 */
public final class Pods {
    private Pods() {}

    /** A pod of a Deployment: named after its ReplicaSet, as the ReplicaSet controller names them. */
    public static Pod ofDeployment(String namespace, String deployment, String hash, String suffix) {
        return new Pod(namespace, deployment + "-" + hash + "-" + suffix, "ReplicaSet", deployment + "-" + hash, "Always");
    }

    public static Pod ofStatefulSet(String namespace, String set, int ordinal) {
        return new Pod(namespace, set + "-" + ordinal, "StatefulSet", set, "Always");
    }

    /** A Job's pod: restartPolicy Never, so a failed container stays terminated. */
    public static Pod ofJob(String namespace, String job, String suffix) {
        return new Pod(namespace, job + "-" + suffix, "Job", job, "Never");
    }

    /** One container's status: its state, last state, readiness and restart count. */
    public static final class Container {
        final String name;
        final String image;
        JsonObject state;
        JsonObject lastState = Json.object();
        boolean ready;
        int restarts;
        boolean hasStatus = true;

        Container(String name, String image) {
            this.name = name;
            this.image = image;
        }

        public Container running(Instant since) {
            state = Json.object().add("running", Json.object().add("startedAt", since.toString()));
            ready = true;
            return this;
        }

        public Container waiting(String reason, String message) {
            JsonObject waiting = Json.object().add("reason", reason);
            if (message != null) {
                waiting.add("message", message);
            }
            state = Json.object().add("waiting", waiting);
            ready = false;
            return this;
        }

        public Container terminated(int exitCode, String reason, Instant started, Instant finished) {
            state = Json.object().add("terminated", terminatedState(exitCode, reason, started, finished));
            ready = false;
            return this;
        }

        /** What the container's previous run ended with, as kubelet keeps it. */
        public Container lastTerminated(int exitCode, String reason, Instant started, Instant finished) {
            lastState = Json.object().add("terminated", terminatedState(exitCode, reason, started, finished));
            return this;
        }

        public Container restarts(int count) {
            restarts = count;
            return this;
        }

        /** Not started yet: kubelet has not reported this container (an unscheduled pod has none). */
        public Container noStatus() {
            hasStatus = false;
            return this;
        }

        private JsonObject terminatedState(int exitCode, String reason, Instant started, Instant finished) {
            return Json.object().add("exitCode", exitCode).add("reason", reason)
                    .add("startedAt", started.toString()).add("finishedAt", finished.toString())
                    .add("containerID", "containerd://" + hex(name + exitCode + started));
        }

        JsonObject status() {
            JsonObject status = Json.object()
                    .add("name", name)
                    .add("state", state == null ? Json.object().add("waiting", Json.object().add("reason", "ContainerCreating")) : state)
                    .add("lastState", lastState)
                    .add("ready", ready)
                    .add("restartCount", restarts)
                    .add("image", image)
                    .add("imageID", state != null && state.get("waiting") == null ? image.replaceAll(":.*", "") + "@sha256:" + hex(image) : "")
                    .add("started", state != null && state.get("running") != null);
            if (state != null && state.get("waiting") == null) {
                status.add("containerID", "containerd://" + hex(name + restarts));
            }
            return status;
        }
    }

    /** One pod; set its node, phase and containers, then {@link #json()}. */
    public static final class Pod {
        private final String namespace;
        private final String name;
        private final String ownerKind;
        private final String ownerName;
        private final String restartPolicy;
        private String uid = UUID.randomUUID().toString();
        private Instant created = Instant.now().minusSeconds(3600);
        private String node;
        private String phase = "Running";
        private String reason;
        private String message;
        private boolean scheduled = true;
        private String unschedulableMessage;
        private final List<Container> initContainers = new ArrayList<>();
        private final List<Container> containers = new ArrayList<>();

        Pod(String namespace, String name, String ownerKind, String ownerName, String restartPolicy) {
            this.namespace = namespace;
            this.name = name;
            this.ownerKind = ownerKind;
            this.ownerName = ownerName;
            this.restartPolicy = restartPolicy;
        }

        public String name() {
            return name;
        }

        public Pod created(Instant when) {
            created = when;
            return this;
        }

        /** A new incarnation of the pod under the same name (a StatefulSet recreating it). */
        public Pod uid(String uid) {
            this.uid = uid;
            return this;
        }

        public Pod node(String node) {
            this.node = node;
            return this;
        }

        public Pod phase(String phase) {
            this.phase = phase;
            return this;
        }

        /** The pod's status.reason and status.message, as set for Evicted or NodeLost pods. */
        public Pod reason(String reason, String message) {
            this.reason = reason;
            this.message = message;
            return this;
        }

        /** Pending and not bound to a node: the scheduler's PodScheduled=False condition. */
        public Pod unschedulable(String schedulerMessage) {
            scheduled = false;
            node = null;
            phase = "Pending";
            unschedulableMessage = schedulerMessage;
            return this;
        }

        public Container container(String containerName, String image) {
            Container container = new Container(containerName, image);
            containers.add(container);
            return container;
        }

        /** Init containers, which kube_inventory does not report; their presence is what PodInitializing means. */
        public Container initContainer(String containerName, String image) {
            Container container = new Container(containerName, image);
            initContainers.add(container);
            return container;
        }

        public JsonObject json() {
            JsonObject metadata = Json.object()
                    .add("name", name)
                    .add("namespace", namespace)
                    .add("uid", uid)
                    .add("resourceVersion", Long.toString(Math.abs((long) (uid + phase).hashCode())))
                    .add("creationTimestamp", created.toString())
                    .add("labels", Json.object().add("app.kubernetes.io/name", ownerName))
                    .add("ownerReferences", Json.array().add(Json.object()
                            .add("apiVersion", ownerKind.equals("Job") ? "batch/v1" : "apps/v1")
                            .add("kind", ownerKind)
                            .add("name", ownerName)
                            .add("uid", UUID.nameUUIDFromBytes(ownerName.getBytes()).toString())
                            .add("controller", true)
                            .add("blockOwnerDeletion", true)));
            if (ownerKind.equals("ReplicaSet")) {
                metadata.add("generateName", name.substring(0, name.lastIndexOf('-') + 1));
            }
            JsonObject spec = Json.object()
                    .add("volumes", Json.array().add(Json.object().add("name", "kube-api-access")
                            .add("projected", Json.object().add("defaultMode", 420))))
                    .add("containers", specs(containers))
                    .add("restartPolicy", restartPolicy)
                    .add("terminationGracePeriodSeconds", 30)
                    .add("dnsPolicy", "ClusterFirst")
                    .add("serviceAccountName", "default")
                    .add("serviceAccount", "default")
                    .add("securityContext", Json.object())
                    .add("schedulerName", "default-scheduler")
                    .add("tolerations", Json.array()
                            .add(toleration("node.kubernetes.io/not-ready"))
                            .add(toleration("node.kubernetes.io/unreachable")))
                    .add("priority", 0)
                    .add("enableServiceLinks", true)
                    .add("preemptionPolicy", "PreemptLowerPriority");
            if (!initContainers.isEmpty()) {
                spec.add("initContainers", specs(initContainers));
            }
            if (node != null) {
                spec.add("nodeName", node);
            }
            JsonObject status = Json.object().add("phase", phase).add("conditions", conditions()).add("qosClass", "Burstable");
            if (reason != null) {
                status.add("reason", reason);
                status.add("message", message);
            }
            if (scheduled) {
                status.add("hostIP", "10.0.0." + (Math.abs(node.hashCode()) % 200 + 10))
                        .add("hostIPs", Json.array().add(Json.object().add("ip", "10.0.0." + (Math.abs(node.hashCode()) % 200 + 10))))
                        .add("startTime", created.plusSeconds(1).toString());
                if (!phase.equals("Pending") || containers.stream().anyMatch(c -> c.state != null && c.state.get("waiting") == null)) {
                    String ip = "10.244." + (Math.abs(name.hashCode()) % 250) + "." + (Math.abs(uid.hashCode()) % 250 + 2);
                    status.add("podIP", ip).add("podIPs", Json.array().add(Json.object().add("ip", ip)));
                }
                if (!initContainers.isEmpty()) {
                    status.add("initContainerStatuses", statuses(initContainers));
                }
                JsonArray statuses = statuses(containers);
                if (!statuses.isEmpty()) {
                    status.add("containerStatuses", statuses);
                }
            }
            return Json.object().add("metadata", metadata).add("spec", spec).add("status", status);
        }

        private JsonArray conditions() {
            String at = created.plusSeconds(1).toString();
            JsonArray conditions = new JsonArray();
            if (!scheduled) {
                return conditions.add(condition("PodScheduled", "False", at, "Unschedulable", unschedulableMessage));
            }
            boolean allReady = !containers.isEmpty() && containers.stream().allMatch(c -> c.ready && c.hasStatus);
            boolean started = !phase.equals("Pending") || containers.stream().anyMatch(c -> c.state != null && c.state.get("waiting") == null);
            boolean initialized = initContainers.stream().allMatch(c -> c.state != null && c.state.get("terminated") != null);
            String notReady = phase.equals("Succeeded") || phase.equals("Failed") ? "PodCompleted" : "ContainersNotReady";
            conditions.add(condition("PodReadyToStartContainers", started || phase.equals("Pending") && initialized ? "True" : "False", at, null, null));
            conditions.add(condition("Initialized", initialized ? "True" : "False", at,
                    initialized ? null : "ContainersNotInitialized", initialized ? null : "containers with incomplete status: [" + names(initContainers) + "]"));
            conditions.add(condition("Ready", allReady ? "True" : "False", at,
                    allReady ? null : notReady, allReady ? null : "containers with unready status: [" + names(containers) + "]"));
            conditions.add(condition("ContainersReady", allReady ? "True" : "False", at,
                    allReady ? null : notReady, allReady ? null : "containers with unready status: [" + names(containers) + "]"));
            conditions.add(condition("PodScheduled", "True", created.toString(), null, null));
            return conditions;
        }

        private static String names(List<Container> list) {
            return String.join(" ", list.stream().map(c -> c.name).toList());
        }

        private static JsonObject condition(String type, String status, String at, String reason, String message) {
            JsonObject condition = Json.object().add("type", type).add("status", status)
                    .add("lastProbeTime", Json.NULL).add("lastTransitionTime", at);
            if (reason != null) {
                condition.add("reason", reason);
            }
            if (message != null) {
                condition.add("message", message);
            }
            return condition;
        }

        private static JsonObject toleration(String key) {
            return Json.object().add("key", key).add("operator", "Exists").add("effect", "NoExecute").add("tolerationSeconds", 300);
        }

        private static JsonArray specs(List<Container> list) {
            JsonArray specs = new JsonArray();
            for (Container c : list) {
                specs.add(Json.object()
                        .add("name", c.name)
                        .add("image", c.image)
                        .add("resources", Json.object()
                                .add("limits", Json.object().add("memory", "256Mi"))
                                .add("requests", Json.object().add("cpu", "100m").add("memory", "128Mi")))
                        .add("volumeMounts", Json.array().add(Json.object().add("name", "kube-api-access").add("readOnly", true)
                                .add("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")))
                        .add("terminationMessagePath", "/dev/termination-log")
                        .add("terminationMessagePolicy", "File")
                        .add("imagePullPolicy", "IfNotPresent"));
            }
            return specs;
        }

        private static JsonArray statuses(List<Container> list) {
            JsonArray statuses = new JsonArray();
            for (Container c : list) {
                if (c.hasStatus) {
                    statuses.add(c.status());
                }
            }
            return statuses;
        }
    }

    private static String hex(String seed) {
        String a = UUID.nameUUIDFromBytes(seed.getBytes()).toString().replace("-", "");
        return a + new StringBuilder(a).reverse();
    }
}

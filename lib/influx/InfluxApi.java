package influx;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/** The parts of the InfluxDB 2.x REST API the tools use, in the API's own terms. */
public final class InfluxApi {
    /** The largest page the buckets API serves. */
    public static final int BUCKET_PAGE = 100;
    /** The largest page the tasks API serves. */
    public static final int TASK_PAGE = 500;

    private final InfluxHttp http;

    public InfluxApi(InfluxHttp http) {
        this.http = http;
    }

    public InfluxHttp http() {
        return http;
    }

    // --- organisations and users -------------------------------------------------------------

    /** Empty when no org of that name exists (the API answers 404). */
    public Optional<Org> orgByName(String name) {
        try {
            JsonArray orgs = http.get("/api/v2/orgs?org=" + encode(name)).asObject().get("orgs").asArray();
            return orgs.isEmpty() ? Optional.empty() : Optional.of(org(orgs.get(0).asObject()));
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<Org> orgById(String id) {
        try {
            return Optional.of(org(http.get("/api/v2/orgs/" + id).asObject()));
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The org as the buckets API reveals it: that API resolves an org name itself, without asking
     * for read access to the org, and names the org's ID next to every bucket the token may read.
     * Give the name or the ID. Empty when the org does not exist or no bucket of it is readable.
     */
    public Optional<Org> orgThroughBuckets(String name, String id) {
        String filter = name != null ? "org=" + encode(name) : "orgID=" + id;
        try {
            for (int offset = 0; ; offset += BUCKET_PAGE) {
                List<Bucket> page = list(http.get("/api/v2/buckets?" + filter + "&limit=" + BUCKET_PAGE + "&offset=" + offset),
                        "buckets", Bucket::from);
                if (page.isEmpty()) {
                    return Optional.empty();
                }
                Optional<String> orgId = page.stream().map(Bucket::orgId).filter(found -> !found.isEmpty()).findFirst();
                if (orgId.isPresent()) {
                    return Optional.of(new Org(orgId.get(), name != null ? name : orgNameFromTasks(id).orElse(id)));
                }
            }
        } catch (ApiException e) {
            if (e.isNotFound() || e.isAuthFailure()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Tasks carry their org's name: the one place a token without read access to the org can see it. */
    private Optional<String> orgNameFromTasks(String orgId) {
        try {
            JsonValue tasks = http.get("/api/v2/tasks?orgID=" + orgId + "&limit=1").asObject().get("tasks");
            if (tasks == null || !tasks.isArray() || tasks.asArray().isEmpty()) {
                return Optional.empty();
            }
            String org = tasks.asArray().get(0).asObject().getString("org", "");
            return org.isEmpty() ? Optional.empty() : Optional.of(org);
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** The user who owns the token in use, as {id, name}. */
    public JsonObject me() {
        return http.get("/api/v2/me").asObject();
    }

    public boolean isOwner(String orgId, String userId) {
        return http.get("/api/v2/orgs/" + orgId + "/owners").asObject().get("users").asArray().values().stream()
                .anyMatch(user -> userId.equals(user.asObject().getString("id", "")));
    }

    // --- buckets ------------------------------------------------------------------------------

    /** Every bucket of the org. */
    public List<Bucket> buckets(String orgId) {
        List<Bucket> all = new ArrayList<>();
        bucketPages(orgId).forEach(all::addAll);
        return all;
    }

    /**
     * Every bucket of the org, a page at a time; while the caller works on one page, the next is
     * already being read. Pages are cut before the server filters them by permission, so a short
     * page is not the last one: only an empty page ends the listing.
     */
    public Iterable<List<Bucket>> bucketPages(String orgId) {
        return () -> new Iterator<>() {
            private int offset;
            private Background<List<Bucket>> reading = bucketPage(orgId, offset);
            private List<Bucket> read;

            @Override
            public boolean hasNext() {
                if (read == null) {
                    read = reading.get();
                    if (!read.isEmpty()) {
                        offset += BUCKET_PAGE;
                        reading = bucketPage(orgId, offset);
                    }
                }
                return !read.isEmpty();
            }

            @Override
            public List<Bucket> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Bucket> page = read;
                read = null;
                return page;
            }
        };
    }

    private Background<List<Bucket>> bucketPage(String orgId, int offset) {
        return Background.start("buckets from " + offset, () -> list(
                http.get("/api/v2/buckets?orgID=" + orgId + "&limit=" + BUCKET_PAGE + "&offset=" + offset), "buckets", Bucket::from));
    }

    public Optional<Bucket> bucket(String orgId, String name) {
        try {
            return list(http.get("/api/v2/buckets?orgID=" + orgId + "&name=" + encode(name)), "buckets", Bucket::from).stream()
                    .filter(bucket -> bucket.name().equals(name))
                    .findFirst();
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Bucket names are unique within an org: a second create fails with 422 "conflict". */
    public Bucket createBucket(String orgId, String name, long retentionSeconds, String description) {
        JsonObject body = Json.object()
                .add("orgID", orgId)
                .add("name", name)
                .add("description", description)
                .add("retentionRules", Json.array().add(Json.object().add("type", "expire").add("everySeconds", retentionSeconds)));
        return Bucket.from(http.create("/api/v2/buckets", body,
                () -> bucket(orgId, name).map(InfluxApi::bucketJson)).asObject());
    }

    public void describeBucket(String id, String description) {
        http.patch("/api/v2/buckets/" + id, Json.object().add("description", description));
    }

    public void deleteBucket(String id) {
        deleteIfPresent("/api/v2/buckets/" + id);
    }

    // --- DBRP mappings ------------------------------------------------------------------------

    /** All mappings of the org, virtual ones included; the list is not paginated. */
    public List<Dbrp> dbrps(String orgId) {
        return list(http.get("/api/v2/dbrps?orgID=" + orgId), "content", Dbrp::from);
    }

    public Dbrp createDbrp(String orgId, Bucket bucket, String retentionPolicy) {
        JsonObject body = Json.object()
                .add("orgID", orgId)
                .add("bucketID", bucket.id())
                .add("database", bucket.name())
                .add("retention_policy", retentionPolicy)
                .add("default", true);
        JsonValue created = http.create("/api/v2/dbrps", body, () -> physicalDbrp(orgId, bucket.name(), retentionPolicy));
        return bareDbrp(created);
    }

    private Optional<JsonObject> physicalDbrp(String orgId, String database, String retentionPolicy) {
        return http.get("/api/v2/dbrps?orgID=" + orgId + "&db=" + encode(database) + "&rp=" + encode(retentionPolicy))
                .asObject().get("content").asArray().values().stream()
                .map(JsonValue::asObject)
                .filter(mapping -> !mapping.getBoolean("virtual", false))
                .findFirst();
    }

    public Dbrp renameRetentionPolicy(String orgId, String dbrpId, String retentionPolicy) {
        JsonValue updated = http.patch("/api/v2/dbrps/" + dbrpId + "?orgID=" + orgId,
                Json.object().add("retention_policy", retentionPolicy));
        return bareDbrp(updated);
    }

    /** POST and PATCH answer with the bare mapping; older servers wrap it in {"content": ...}. */
    private static Dbrp bareDbrp(JsonValue answer) {
        JsonValue wrapped = answer.asObject().get("content");
        return Dbrp.from(wrapped != null ? wrapped.asObject() : answer.asObject());
    }

    public void deleteDbrp(String orgId, String dbrpId) {
        deleteIfPresent("/api/v2/dbrps/" + dbrpId + "?orgID=" + orgId);
    }

    // --- tasks --------------------------------------------------------------------------------

    /**
     * Every task of the org. Without orgID the API lists only the caller's own tasks, and a tool
     * would then create duplicates of everybody else's.
     */
    public List<Task> tasks(String orgId) {
        List<Task> all = new ArrayList<>();
        String after = "";
        while (true) {
            List<Task> page = list(http.get("/api/v2/tasks?orgID=" + orgId + "&limit=" + TASK_PAGE
                    + (after.isEmpty() ? "" : "&after=" + after)), "tasks", Task::from);
            all.addAll(page);
            if (page.size() < TASK_PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /**
     * Task names are not unique, so a lost answer is recovered by looking for a task of this org
     * whose Flux is exactly the one just sent.
     */
    public Task createTask(String orgId, String flux, String description) {
        JsonObject body = Json.object().add("orgID", orgId).add("flux", flux).add("description", description)
                .add("status", "active");
        return Task.from(http.create("/api/v2/tasks", body, () -> tasks(orgId).stream()
                .filter(task -> task.flux().equals(flux))
                .findFirst()
                .map(InfluxApi::taskJson)).asObject());
    }

    public Task updateTask(String id, String flux) {
        return Task.from(http.patch("/api/v2/tasks/" + id, Json.object().add("flux", flux).add("status", "active")).asObject());
    }

    public void deleteTask(String id) {
        deleteIfPresent("/api/v2/tasks/" + id);
    }

    public TaskRun run(String taskId, String runId) {
        TaskRun run = TaskRun.from(http.get("/api/v2/tasks/" + taskId + "/runs/" + runId).asObject());
        if (run.status().equals("failed") && run.log().isEmpty()) {
            List<String> log = list(http.get("/api/v2/tasks/" + taskId + "/runs/" + runId + "/logs"), "events",
                    event -> event.getString("message", ""));
            return new TaskRun(run.id(), run.taskId(), run.status(), run.scheduledFor(), log);
        }
        return run;
    }

    /** The most recent finished or running run, if the task ever ran. */
    public Optional<TaskRun> latestRun(String taskId) {
        List<TaskRun> runs = list(http.get("/api/v2/tasks/" + taskId + "/runs?limit=1"), "runs", TaskRun::from);
        return runs.isEmpty() ? Optional.empty() : Optional.of(run(taskId, runs.get(0).id()));
    }

    /**
     * The most recent run that has ended, if any. A run still going says nothing yet of the task's
     * health, and must not hide that the one before it failed.
     */
    public Optional<TaskRun> latestEndedRun(String taskId) {
        return list(http.get("/api/v2/tasks/" + taskId + "/runs?limit=5"), "runs", TaskRun::from).stream()
                .filter(run -> !run.status().equals("scheduled") && !run.status().equals("started"))
                .findFirst()
                .map(run -> run(taskId, run.id()));
    }

    // --- secrets ------------------------------------------------------------------------------

    /** The keys of the org's secrets; their values cannot be read back through the API. */
    public Set<String> secretKeys(String orgId) {
        Set<String> keys = new LinkedHashSet<>();
        http.get("/api/v2/orgs/" + orgId + "/secrets").asObject().get("secrets").asArray()
                .forEach(key -> keys.add(key.asString()));
        return keys;
    }

    /** Removes one key (and its value) from the org's secrets. */
    public void deleteSecret(String orgId, String key) {
        deleteIfPresent("/api/v2/orgs/" + orgId + "/secrets/" + encode(key));
    }

    /**
     * Whether this token may write the org's secrets, asked with an empty update: InfluxDB checks
     * the grant first, and an update without keys changes nothing.
     */
    public boolean maySecretsBeWritten(String orgId) {
        try {
            putSecrets(orgId, Map.of());
            return true;
        } catch (ApiException e) {
            if (e.isAuthFailure()) {
                return false;
            }
            throw e;
        }
    }

    /** The rows a Flux query answers, each by column name; the query must only read. */
    public List<Map<String, String>> query(String orgId, String flux) {
        JsonObject body = new JsonObject().add("query", flux)
                .add("dialect", new JsonObject().add("header", true).add("annotations", new JsonArray()));
        return FluxCsv.rows(http.query("/api/v2/query?orgID=" + orgId, body));
    }

    public void putSecrets(String orgId, Map<String, String> secrets) {
        http.patch("/api/v2/orgs/" + orgId + "/secrets", object(secrets));
    }

    // --- authorizations -----------------------------------------------------------------------

    public List<Authorization> authorizations(String orgId) {
        return list(http.get("/api/v2/authorizations?orgID=" + orgId), "authorizations", Authorization::from);
    }

    /** Answers the new authorization and, separately, its token: the only time it can be read. */
    public CreatedToken createAuthorization(String orgId, String userId, String description, List<Permission> permissions) {
        JsonArray grants = Json.array();
        permissions.forEach(permission -> grants.add(permission.toJson()));
        JsonObject body = Json.object().add("orgID", orgId).add("description", description).add("status", "active")
                .add("permissions", grants);
        if (userId != null) {
            body.add("userID", userId);
        }
        // Not retried: each POST mints a new token, and a lost answer's token could never be read.
        JsonObject created = http.createOnce("/api/v2/authorizations", body).asObject();
        return new CreatedToken(Authorization.from(created), created.getString("token", ""));
    }

    public void setAuthorizationStatus(String id, String status) {
        http.patch("/api/v2/authorizations/" + id, Json.object().add("status", status));
    }

    public void deleteAuthorization(String id) {
        deleteIfPresent("/api/v2/authorizations/" + id);
    }

    /** A freshly created authorization with its token string. */
    public record CreatedToken(Authorization authorization, String token) {
        @Override
        public String toString() {
            return "CreatedToken[" + authorization.id() + ", token=<redacted>]";
        }
    }

    // --- labels -------------------------------------------------------------------------------

    /** Label names are unique within an org, ignoring case: a second create answers 422 "conflict". */
    public Label createLabel(String orgId, String name, Map<String, String> properties) {
        JsonObject body = Json.object().add("orgID", orgId).add("name", name).add("properties", object(properties));
        // A retried create whose first answer was lost finds the label it made by its properties.
        return Label.from(http.create("/api/v2/labels", body, () -> label(orgId, name)
                .filter(found -> found.properties().equals(properties))
                .map(found -> Json.object().add("label", labelJson(found)))).asObject().get("label").asObject());
    }

    /** The API's name filter ignores case, as its uniqueness check does. */
    public Optional<Label> label(String orgId, String name) {
        return list(http.get("/api/v2/labels?orgID=" + orgId + "&name=" + encode(name)), "labels", Label::from).stream()
                .filter(label -> label.name().equalsIgnoreCase(name))
                .findFirst();
    }

    /** Sets these properties and keeps the others. */
    public void setLabelProperties(String id, Map<String, String> properties) {
        http.patch("/api/v2/labels/" + id, Json.object().add("properties", object(properties)));
    }

    public void deleteLabel(String id) {
        deleteIfPresent("/api/v2/labels/" + id);
    }

    // -----------------------------------------------------------------------------------------

    private void deleteIfPresent(String path) {
        try {
            http.delete(path);
        } catch (ApiException e) {
            // Gone already, perhaps by a retried request whose first answer was lost.
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static <T> List<T> list(JsonValue response, String field, Function<JsonObject, T> parse) {
        JsonValue items = response.asObject().get(field);
        if (items == null || items.isNull()) {
            return List.of();
        }
        return items.asArray().values().stream().map(JsonValue::asObject).map(parse).toList();
    }

    private static Org org(JsonObject json) {
        return new Org(json.getString("id", ""), json.getString("name", ""));
    }

    private static JsonObject taskJson(Task task) {
        return Json.object().add("id", task.id()).add("name", task.name()).add("orgID", task.orgId())
                .add("ownerID", task.ownerId()).add("status", task.status()).add("flux", task.flux());
    }

    private static JsonObject labelJson(Label label) {
        return Json.object().add("id", label.id()).add("name", label.name()).add("orgID", label.orgId())
                .add("properties", object(label.properties()));
    }

    /** String keys and values as a JSON object: secrets, label properties. */
    private static JsonObject object(Map<String, String> entries) {
        JsonObject object = Json.object();
        entries.forEach(object::add);
        return object;
    }

    private static JsonObject bucketJson(Bucket bucket) {
        return Json.object().add("id", bucket.id()).add("name", bucket.name()).add("orgID", bucket.orgId())
                .add("description", bucket.description())
                .add("retentionRules", Json.array().add(Json.object().add("type", "expire")
                        .add("everySeconds", bucket.retentionSeconds())));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

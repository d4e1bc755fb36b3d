package influx;

import java.util.List;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/** One run of a task: "scheduled", "started", "success", "failed" or "canceled", with its log. */
public record TaskRun(String id, String taskId, String status, String scheduledFor, List<String> log) {

    static TaskRun from(JsonObject json) {
        List<String> log = json.get("log") == null || !json.get("log").isArray() ? List.of()
                : json.get("log").asArray().values().stream()
                        .map(JsonValue::asObject)
                        .map(entry -> entry.getString("message", ""))
                        .toList();
        return new TaskRun(json.getString("id", ""), json.getString("taskID", ""), json.getString("status", ""),
                json.getString("scheduledFor", ""), log);
    }
}

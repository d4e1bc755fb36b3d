package influx;

import java.util.LinkedHashMap;
import java.util.Map;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/** A label as the labels API describes it: a name unique within its org, and string properties. */
public record Label(String id, String name, String orgId, Map<String, String> properties) {

    static Label from(JsonObject json) {
        Map<String, String> properties = new LinkedHashMap<>();
        JsonValue given = json.get("properties");
        if (given != null && given.isObject()) {
            given.asObject().forEach(member -> properties.put(member.getName(),
                    member.getValue().isString() ? member.getValue().asString() : member.getValue().toString()));
        }
        return new Label(json.getString("id", ""), json.getString("name", ""), json.getString("orgID", ""), properties);
    }

    public String property(String key) {
        return properties.getOrDefault(key, "");
    }
}

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Function;

import cli.Cli;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import picocli.CommandLine;

/** One in-process run of a tool: its exit code and everything it printed. */
public record ToolResult(int exitCode, String out, String err) {

    /** Runs a tool as its main() would, with the given environment instead of the process's. */
    public static ToolResult run(Function<Map<String, String>, Object> tool, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(tool.apply(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new ToolResult(exitCode, out.toString(), err.toString());
    }

    /** The --json document; fails the test if stdout is not exactly one JSON object. */
    public JsonObject json() {
        return Json.parse(out.strip()).asObject();
    }

    /** The token tokenmaker printed for the one token it created, in a --json run. */
    public String createdToken() {
        return json().get("actions").asArray().values().stream()
                .map(action -> action.asObject())
                .filter(action -> action.getString("action", "").equals("create") && action.get("token") != null)
                .map(action -> action.getString("token", ""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no token created:\n" + this));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

package plan;

import java.io.PrintWriter;
import java.util.List;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.WriterConfig;

/** The result of a run, printed as human lines or as the contract's one JSON document. */
public record Report(String tool, boolean dryRun, List<Outcome> outcomes, List<String> warnings) {

    public long count(String action) {
        return outcomes.stream().filter(outcome -> !outcome.failed() && outcome.action().equals(action)).count();
    }

    public long failures() {
        return outcomes.stream().filter(Outcome::failed).count();
    }

    public long held() {
        return outcomes.stream().filter(Outcome::held).count();
    }

    public void printHuman(PrintWriter out, PrintWriter err) {
        warnings.forEach(warning -> err.println("warning: " + warning));
        if (outcomes.stream().anyMatch(outcome -> outcome.action().equals(Outcome.CHECK))) {
            printHealth(out, err);
            return;
        }
        for (Outcome outcome : outcomes) {
            String subject = outcome.kind() + " \"" + outcome.name() + "\""
                    + (outcome.detail() == null || outcome.detail().isEmpty() ? "" : " -> " + outcome.detail());
            String line = outcome.action() + " " + subject;
            if (outcome.failed()) {
                err.println("error: " + line + ": " + outcome.error());
                continue;
            }
            if (outcome.held()) {
                err.println("held: " + subject + ": " + outcome.error());
                continue;
            }
            out.println(line + (Outcome.PLANNED.equals(outcome.status()) ? " (planned)" : ""));
            if (outcome.token() != null) {
                out.println("token: " + outcome.token());
            }
        }
        out.println(tool + ": " + count("create") + " created, " + count("update") + " updated, "
                + count("delete") + " deleted, " + count("unchanged") + " unchanged, " + failures() + " failed"
                + (held() > 0 ? ", " + held() + " held" : "")
                + (dryRun ? " (dry run: nothing was changed)" : ""));
        out.flush();
        err.flush();
    }

    /** taskmaker --check: a health report, healthy objects on stdout, problems on stderr. */
    private void printHealth(PrintWriter out, PrintWriter err) {
        long healthy = 0;
        for (Outcome outcome : outcomes) {
            String line = outcome.kind() + " \"" + outcome.name() + "\""
                    + (outcome.detail() == null || outcome.detail().isEmpty() ? "" : ": " + outcome.detail());
            if (outcome.failed()) {
                err.println("problem: " + line + ": " + outcome.error());
            } else {
                healthy++;
                out.println("ok: " + line);
            }
        }
        out.println(tool + " --check: " + healthy + " healthy, " + failures() + (failures() == 1 ? " problem" : " problems"));
        out.flush();
        err.flush();
    }

    public void printJson(PrintWriter out) {
        out.println(toJson().toString(WriterConfig.MINIMAL));
        out.flush();
    }

    public JsonObject toJson() {
        JsonArray actions = Json.array();
        for (Outcome outcome : outcomes) {
            JsonObject action = Json.object()
                    .add("action", outcome.action())
                    .add("kind", outcome.kind())
                    .add("name", outcome.name())
                    .add("id", outcome.id() == null ? "" : outcome.id())
                    .add("detail", outcome.detail() == null ? "" : outcome.detail())
                    .add("status", outcome.status());
            if (outcome.error() != null) {
                action.add("error", outcome.error());
            }
            if (outcome.token() != null) {
                action.add("token", outcome.token());
            }
            actions.add(action);
        }
        JsonObject summary = Json.object()
                .add("created", count("create"))
                .add("updated", count("update"))
                .add("deleted", count("delete"))
                .add("unchanged", count("unchanged"))
                .add("failed", failures())
                .add("held", held());
        if (outcomes.stream().anyMatch(outcome -> outcome.action().equals(Outcome.CHECK))) {
            summary.add("healthy", count(Outcome.CHECK));
        }
        return Json.object()
                .add("tool", tool)
                .add("dryRun", dryRun)
                .add("actions", actions)
                .add("warnings", array(warnings))
                .add("summary", summary);
    }

    /**
     * A run that stopped before it could plan: the same document shape, so that scripts reading
     * --json always get one, with the reason in "error".
     */
    public static void printFailureJson(PrintWriter out, String tool, boolean dryRun, List<String> warnings, String error) {
        JsonObject document = new Report(tool, dryRun, List.of(), warnings).toJson().add("error", error);
        out.println(document.toString(WriterConfig.MINIMAL));
        out.flush();
    }

    private static JsonArray array(List<String> values) {
        JsonArray array = Json.array();
        values.forEach(array::add);
        return array;
    }
}

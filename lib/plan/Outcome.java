package plan;

/** How one action of a run ended, as the JSON document and the human lines report it. */
public record Outcome(String action, String kind, String name, String id, String detail, String status,
        String error, String token) {

    public static final String OK = "ok";
    public static final String PLANNED = "planned";
    public static final String FAILED = "failed";
    /** The action of a taskmaker --check finding: status ok (healthy) or failed (a problem). */
    public static final String CHECK = "check";
    /** A change left undone on purpose, because this token may not make it; the error says who can. */
    public static final String HELD = "held";

    static Outcome of(Change change, String status, String id, String error, String token) {
        return new Outcome(change.action(), change.kind(), change.name(), id, change.detail(), status, error, token);
    }

    public boolean held() {
        return HELD.equals(status);
    }

    public boolean failed() {
        return FAILED.equals(status);
    }

    @Override
    public String toString() {
        return action + " " + kind + " \"" + name + "\" " + status + (token == null ? "" : " token=<redacted>");
    }
}

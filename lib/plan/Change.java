package plan;

/**
 * One thing a tool intends to do to the server, described for the report, with the call that does
 * it. Kinds and actions are the contract's: dbrp|bucket|task|token|secret, create|update|delete.
 */
public record Change(String action, String kind, String name, String id, String detail, Apply apply) {

    /** Performs the change and tells what it made. */
    @FunctionalInterface
    public interface Apply {
        Applied run() throws Exception;
    }

    /**
     * What a change produced: the object's ID, a token only where one was minted, and whether the
     * object turned out to exist already (another run made it between our look and our write).
     */
    public record Applied(String id, String token, boolean alreadyThere) {
        public static Applied id(String id) {
            return new Applied(id, null, false);
        }

        public static Applied existing(String id) {
            return new Applied(id, null, true);
        }

        public static Applied token(String id, String token) {
            return new Applied(id, token, false);
        }

        @Override
        public String toString() {
            return "Applied[" + id + (token == null ? "" : ", token=<redacted>") + "]";
        }
    }

    public static Change create(String kind, String name, String detail, Apply apply) {
        return new Change("create", kind, name, "", detail, apply);
    }

    public static Change update(String kind, String name, String id, String detail, Apply apply) {
        return new Change("update", kind, name, id, detail, apply);
    }

    public static Change delete(String kind, String name, String id, String detail, Apply apply) {
        return new Change("delete", kind, name, id, detail, apply);
    }
}

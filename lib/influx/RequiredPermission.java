package influx;

/**
 * The permission an API call needs, named as an operator grants it ("write:dbrp"), so that a 403
 * says what to add to the token instead of only that something is missing.
 */
final class RequiredPermission {
    private RequiredPermission() {}

    static String of(String method, String path) {
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] segments = pathOnly.replaceFirst("^/api/v2/", "").split("/");
        // Data goes to and comes from buckets, whatever the endpoint is called.
        if (segments[0].equals("write")) {
            return "write:buckets";
        }
        if (segments[0].equals("query")) {
            return "read:buckets";
        }
        String action = method.equals("GET") ? "read" : "write";
        // Secrets live under their org's path but are a resource type of their own.
        String type = segments.length >= 3 && segments[0].equals("orgs") && segments[2].equals("secrets")
                ? "secrets"
                : segments[0].equals("dbrps") ? "dbrp" : segments[0];
        return action + ":" + type;
    }
}

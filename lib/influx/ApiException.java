package influx;

import java.util.regex.Pattern;

/** A non-2xx answer from the InfluxDB API, carrying the server's own message. */
public class ApiException extends RuntimeException {
    private static final Pattern NAMED_PERMISSION = Pattern.compile("(read|write):\\S+ is unauthorized");
    private final int status;
    private final String code;

    public ApiException(String method, String path, int status, String code, String message) {
        super(describe(method, path, status, code, message));
        this.status = status;
        this.code = code;
    }

    private ApiException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The same failure with what the operator can do about it, such as which token would do. */
    public ApiException withAdvice(String advice) {
        return new ApiException(getMessage() + "; " + advice, status, code);
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /** A duplicate name or (org, database, rp): the API answers 422 with code "conflict". */
    public boolean isConflict() {
        return status == 409 || (status == 422 && "conflict".equals(code));
    }

    public boolean isAuthFailure() {
        // The tasks API reports a missing permission as 400 "unauthorized" rather than 403.
        return status == 401 || status == 403 || (status == 400 && "unauthorized".equals(code));
    }

    private static String describe(String method, String path, int status, String code, String message) {
        String hint = switch (status) {
            // InfluxDB also answers 401 for a valid token without a permission, naming that permission.
            case 401 -> NAMED_PERMISSION.matcher(message == null ? "" : message.strip()).matches()
                    ? "the token lacks this permission"
                    : "the token was rejected (wrong, revoked or inactive token)";
            case 403 -> missingPermission(method, path);
            default -> status == 400 && "unauthorized".equals(code) ? missingPermission(method, path) : "";
        };
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String text = method + " " + pathOnly + ": HTTP " + status
                + (message == null || message.isBlank() ? "" : ": " + message.strip());
        return hint.isEmpty() ? text : text + " (" + hint + ")";
    }

    private static String missingPermission(String method, String path) {
        return "the token lacks the " + RequiredPermission.of(method, path) + " permission for this org";
    }
}

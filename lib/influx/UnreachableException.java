package influx;

/** The server could not be talked to at all (connection, DNS, TLS, timeout); exit code 3. */
public class UnreachableException extends RuntimeException {
    private final boolean isTransient;

    /** A failure not worth retrying. */
    public UnreachableException(String message, Throwable cause) {
        this(message, false, cause);
    }

    /** @param isTransient whether the same request may succeed later (refused, dropped, timed out) */
    public UnreachableException(String message, boolean isTransient, Throwable cause) {
        super(message, cause);
        this.isTransient = isTransient;
    }

    public boolean isTransient() {
        return isTransient;
    }
}

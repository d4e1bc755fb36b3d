/** The server could not be talked to at all (connection, DNS, TLS, timeout); exit code 3. */
public class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}

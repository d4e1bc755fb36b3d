package cli;

/** A problem with what the operator asked for; reported as one line with exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}

/** The exit codes of cli-contract.md; operators script against these numbers. */
public final class ExitCode {
    /** Success, including "nothing to do". */
    public static final int OK = 0;
    /** At least one action failed; the others were still attempted and reported. */
    public static final int ACTION_FAILED = 1;
    /** Bad flag, missing token, malformed URL, unknown org: nothing was sent that changes anything. */
    public static final int USAGE = 2;
    /** The server could not be reached, or refused the token, before any change was made. */
    public static final int UNREACHABLE = 3;

    private ExitCode() {}
}

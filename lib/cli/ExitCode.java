package cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The exit codes of the command-line contract (docs/cli-contract.md, "Exit codes"); operators script against
 * these numbers. Every tool's --help footer is generated from this list.
 */
public enum ExitCode {
    /** Success, including "nothing to do". */
    OK(0, "done"),
    /** At least one action (or, for taskmaker --check, a check) failed; the others were still attempted and reported. */
    ACTION_FAILED(1, "an action or a check failed"),
    /** Bad flag, missing token, malformed URL, unknown org: nothing was sent that changes anything. */
    USAGE(2, "usage error"),
    /** The server could not be reached, or refused the token, before any change was made. */
    UNREACHABLE(3, "server unreachable or token refused"),
    /**
     * Everything was applied except changes that need a grant this token lacks on purpose (Slack
     * routes are secrets, which taskmaker's own token may not write); those were left as they were.
     */
    HELD(4, "some changes held back: they need a grant this token lacks");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** "Exit codes: 0 done, 1 ..." for --help. */
    static String[] helpFooter() {
        return new String[] {"", Arrays.stream(values()).map(exit -> exit.code + " " + exit.meaning)
                .collect(Collectors.joining(", ", "Exit codes: ", "."))};
    }
}

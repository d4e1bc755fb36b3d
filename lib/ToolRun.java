import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The life of one run, the same in every tool: settle the options, reach the server and the org,
 * let the tool plan, then apply the plan (or only print it) and report. Every failure before the
 * plan is applied leaves the server untouched and ends in one line with its contract exit code.
 */
public final class ToolRun {
    /** A tool's own part: look at the server and say what should change. No writes here. */
    @FunctionalInterface
    public interface Planner {
        Plan plan(Session session) throws Exception;
    }

    private final String tool;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<String> warnings = new ArrayList<>();
    private boolean json;
    private boolean dryRun;

    public ToolRun(String tool, PrintWriter out, PrintWriter err) {
        this.tool = tool;
        this.out = out;
        this.err = err;
    }

    public int execute(ToolOptions options, Map<String, String> env, Planner planner) {
        json = options.json;
        dryRun = options.dryRun;
        Settings settings;
        try {
            settings = options.resolve(env);
        } catch (UsageException e) {
            return fail(ExitCode.USAGE, e.getMessage());
        }
        if (settings.skipVerify()) {
            warn("--skip-verify: TLS certificates are not checked; anyone on the path can read the token");
        }
        Report report;
        try {
            InfluxApi api = new InfluxApi(new InfluxHttp(settings, settings.dryRun(), settings.debug() ? err : null));
            Session session = new Session(api, Session.resolveOrg(api, settings), settings);
            Plan plan = planner.plan(session);
            report = settings.dryRun() ? plan.preview(tool) : plan.apply(tool, settings.concurrency());
        } catch (UsageException e) {
            return fail(ExitCode.USAGE, e.getMessage());
        } catch (RunLock.LockedException e) {
            return fail(ExitCode.ACTION_FAILED, e.getMessage() + "; nothing was changed");
        } catch (UnreachableException e) {
            return fail(ExitCode.UNREACHABLE, e.getMessage());
        } catch (ApiException e) {
            // Nothing was changed yet: the plan is made before the first write.
            return fail(ExitCode.UNREACHABLE, "InfluxDB at " + settings.url() + " refused a read, nothing was changed: "
                    + e.getMessage());
        } catch (Exception e) {
            return fail(ExitCode.ACTION_FAILED, "unexpected failure, nothing was changed: " + e);
        }
        List<String> allWarnings = new ArrayList<>(warnings);
        allWarnings.addAll(report.warnings());
        report = new Report(tool, report.dryRun(), report.outcomes(), allWarnings);
        if (json) {
            report.printJson(out);
        } else {
            report.printHuman(out, err);
        }
        return report.exitCode();
    }

    /** Warnings from the tool's own checks, printed with the report. */
    public void warn(String warning) {
        warnings.add(warning);
    }

    private int fail(int exitCode, String message) {
        err.println(tool + ": " + message);
        err.flush();
        if (json) {
            Report.printFailureJson(out, tool, dryRun, warnings, message);
        }
        return exitCode;
    }
}

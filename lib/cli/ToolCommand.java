package cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import influx.ApiException;
import influx.InfluxApi;
import influx.InfluxHttp;
import influx.UnreachableException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import plan.Plan;
import plan.Report;
import plan.RunLock;

/**
 * What every tool is to picocli, and the life of one run, the same in every tool: settle the shared
 * options, reach the server and the org, let the tool plan, then apply the plan (or only print it)
 * and report. A tool adds its own options and its plan. Every failure before the plan is applied
 * leaves the server untouched and ends in one line with its contract exit code. The environment is
 * handed in, rather than read, so that tests can give each run its own.
 */
public abstract class ToolCommand implements Callable<Integer> {
    @Mixin
    ToolOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final List<String> warnings = new ArrayList<>();

    protected ToolCommand(Map<String, String> env) {
        this.env = env;
    }

    /** Looks at the server and says what should change. Writes nothing: the plan's changes do. */
    protected abstract Plan plan(Session session) throws Exception;

    @Override
    public final Integer call() {
        String tool = spec.name();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        InfluxHttp http;
        try {
            settings = options.resolve(env);
            http = new InfluxHttp(settings.connection(), settings.dryRun(), settings.debug() ? err : null);
        } catch (UsageException | IllegalArgumentException e) {
            return fail(ExitCode.USAGE, e.getMessage());
        }
        if (settings.skipVerify()) {
            warnings.add("--skip-verify: TLS certificates are not checked; anyone on the path can read the token");
        }
        try {
            return run(tool, settings, http, out, err);
        } finally {
            http.close();
        }
    }

    private int run(String tool, Settings settings, InfluxHttp http, PrintWriter out, PrintWriter err) {
        Report report;
        try {
            InfluxApi api = new InfluxApi(http);
            Session session = new Session(tool, api, Session.resolveOrg(api, settings), settings);
            Plan plan = plan(session);
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
        if (options.json) {
            report.printJson(out);
        } else {
            report.printHuman(out, err);
        }
        ExitCode exit = report.failures() > 0 ? ExitCode.ACTION_FAILED : report.held() > 0 ? ExitCode.HELD : ExitCode.OK;
        return exit.code();
    }

    private int fail(ExitCode exit, String message) {
        String tool = spec.name();
        PrintWriter err = spec.commandLine().getErr();
        err.println(tool + ": " + message);
        err.flush();
        if (options.json) {
            Report.printFailureJson(spec.commandLine().getOut(), tool, options.dryRun, warnings, message);
        }
        return exit.code();
    }
}

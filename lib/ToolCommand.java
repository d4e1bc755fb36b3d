import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every tool is to picocli: the shared options, the environment they fall back on, and a
 * run that goes the same way in every tool (ToolRun). A tool adds its own options and its plan.
 * The environment is handed in, rather than read, so that tests can give each run its own.
 */
public abstract class ToolCommand implements Callable<Integer> {
    @Mixin
    ToolOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    protected ToolCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public final Integer call() {
        return new ToolRun(spec.name(), spec.commandLine().getOut(), spec.commandLine().getErr())
                .execute(options, env, this::plan);
    }

    /** Loads, while picocli parses the command line, the classes only this tool needs (see WarmUp). */
    protected void warmUp() {
        // Most tools need nothing beyond what every tool does.
    }

    /** Looks at the server and says what should change. Writes nothing: the plan's changes do. */
    protected abstract Plan plan(Session session) throws Exception;
}

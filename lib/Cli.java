//DEPS info.picocli:picocli:4.7.7

import java.io.PrintWriter;

import picocli.CommandLine;

/** Starts a tool: picocli set up so that a bad command line is one clear line and exit code 2. */
public final class Cli {
    private Cli() {}

    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
                    + " (see --help)");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandName() + ": unexpected failure: " + e);
            err.flush();
            return ExitCode.ACTION_FAILED;
        });
        return cli;
    }

    /** The whole of a tool's main(): run it and exit with its code. */
    public static void main(Object command, String[] args) {
        System.exit(commandLine(command).execute(args));
    }
}

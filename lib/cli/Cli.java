//DEPS info.picocli:picocli:4.7.7

package cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import plan.Report;

/** Starts a tool: picocli set up so that a bad command line is one clear line and exit code 2. */
public final class Cli {
    /**
     * The reference online, so that --help can end with a link a terminal can open. The repository
     * has no published address yet: this one is a placeholder, like the image name in
     * deploy/cronjob.yaml; change both when it is published.
     */
    public static final String DOCS = "https://github.com/example/influx-tools/blob/main/docs/";

    private static final String DOCS_SECTION = "influxToolsDocs";

    private Cli() {}

    /** The tool's own page of the reference (docs/TOOL.md), at its title. */
    public static String docsLink(String tool) {
        return DOCS + tool + ".md#" + tool;
    }

    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.getCommandSpec().usageMessage().footer(ExitCode.helpFooter());
        // A section of its own after the footer: picocli wraps footer text at 80 columns, and a
        // link broken across lines cannot be opened from the terminal.
        String link = "Reference (every option, what the tool does):" + System.lineSeparator()
                + docsLink(cli.getCommandName()) + System.lineSeparator();
        cli.getHelpSectionMap().put(DOCS_SECTION, help -> link);
        List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
        sections.add(DOCS_SECTION);
        cli.setHelpSectionKeys(sections);
        cli.setParameterExceptionHandler((e, args) -> {
            String tool = e.getCommandLine().getCommandName();
            String message = withoutTokens(firstLine(e.getMessage()), args) + " (see --help)";
            PrintWriter err = e.getCommandLine().getErr();
            err.println(tool + ": " + message);
            err.flush();
            if (List.of(args).contains("--json")) {
                // The contract promises scripts one document even for a run that never started.
                Report.printFailureJson(e.getCommandLine().getOut(), tool, List.of(args).contains("--dry-run"), List.of(), message);
            }
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandName() + ": unexpected failure: " + e);
            err.flush();
            return ExitCode.ACTION_FAILED.code();
        });
        return cli;
    }

    /** picocli's messages may quote any argument, the value of --token included. */
    static String withoutTokens(String message, String[] args) {
        String cleaned = message;
        for (int i = 0; i < args.length; i++) {
            String token = args[i].startsWith("--token=") ? args[i].substring("--token=".length())
                    : args[i].equals("--token") && i + 1 < args.length ? args[i + 1] : "";
            if (!token.isBlank()) {
                cleaned = cleaned.replace(token, "<redacted>");
            }
        }
        return cleaned;
    }

    private static String firstLine(String message) {
        String text = message == null ? "invalid command line" : message.strip();
        return text.contains("\n") ? text.substring(0, text.indexOf('\n')).strip() : text;
    }

    /** The whole of a tool's main(): run it and exit with its code. */
    public static void main(ToolCommand command, String[] args) {
        System.exit(commandLine(command).execute(args));
    }
}

package io.ticketing.examples;

import picocli.CommandLine;

/** The command line of the benchmark and load tools, read by picocli into a tool's {@code @Option} fields. */
public final class ToolFlags {
    /** The exit status of a command line that cannot be parsed. */
    public static final int EXIT_USAGE = 2;

    private ToolFlags() {
    }

    /**
     * Fills {@code flags} (an object with picocli {@code @Option} fields) from {@code args}. Returns false after
     * printing the usage text to standard output if they ask for help; exits with {@value #EXIT_USAGE} after
     * printing what is wrong and the usage text to standard error if they cannot be parsed.
     */
    public static boolean parse(Object flags, String[] args) {
        CommandLine commandLine = new CommandLine(flags);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("error: " + e.getMessage());
            commandLine.usage(System.err, CommandLine.Help.Ansi.OFF);
            System.exit(EXIT_USAGE);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out, CommandLine.Help.Ansi.OFF);
            return false;
        }
        return true;
    }
}

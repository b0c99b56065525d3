package org.varec.cli;

import java.io.PrintWriter;
import java.util.List;
import org.varec.io.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code varec} command. Every subcommand prints results on stdout, progress and per-epoch
 * figures on stderr, and on error one clear line on stderr with exit code 2 (a stack trace only
 * with {@code --debug}).
 */
@Command(name = "varec", mixinStandardHelpOptions = true, versionProvider = VarecCommand.VersionProvider.class,
        description = "Probabilistic recommender systems: matrix factorization whose models know how sure they are.")
public final class VarecCommand implements Runnable {
    /**
     * The subcommands, in the order of the usage. Not in the annotation: picocli would build every
     * one of them (their options, by reflection, about 0.2-0.3 s of every start) where a command
     * line names one; {@link #commandLine(String...)} adds only that one.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(QuickstartCommand.class, DataCommand.class, TrainCommand.class,
            EvalCommand.class, PredictCommand.class, RecommendCommand.class, ItemsCommand.class, ElicitCommand.class,
            TableCommand.class, PlotCommand.class, ReportCommand.class, ServeCommand.class, AlgosCommand.class,
            TuneCommand.class, CompareCommand.class, AotTrainingCommand.class, CommandLine.HelpCommand.class);

    /** Exit code for any error the user can fix (bad input, bad option, missing file). */
    public static final int EXIT_ERROR = 2;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress or per-epoch output on stderr.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // '--version' alone is answered before picocli builds the whole command tree (about 1,500
        // classes): the same line, in a fraction of the start-up time (scripts call it to probe varec)
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            System.exit(0);
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return build(SUBCOMMANDS);
    }

    /**
     * A command tree that can run {@code args}: the root with only the subcommand {@code args}
     * names (its first word that is not an option: the root's options take no values), or the
     * whole tree when it names none or an unknown one (usage, {@code help}, picocli's "did you
     * mean" for a misspelt command).
     */
    public static CommandLine commandLine(String... args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                continue;
            }
            for (Class<?> c : SUBCOMMANDS) {
                Command cmd = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class
                        && (cmd.name().equals(a) || java.util.Arrays.asList(cmd.aliases()).contains(a))) {
                    return build(List.of(c));
                }
            }
            break;
        }
        return build(SUBCOMMANDS);
    }

    private static CommandLine build(List<Class<?>> subcommands) {
        VarecCommand root = new VarecCommand();
        CommandLine cl = new CommandLine(root);
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // an Error escapes picocli's execution-exception handler: out of memory on the main thread
        // (reading a large file with a small heap) is caught here, after the stack (and the heap it
        // held) has unwound, and reported as one line like any other error
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (OutOfMemoryError e) {
                PrintWriter err = cl.getErr();
                err.println("varec: error: " + outOfMemory(e));
                if (root.debug) {
                    e.printStackTrace(err);
                }
                err.flush();
                return EXIT_ERROR;
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("varec: error: " + message(ex));
            if (root.debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("varec: error: " + oneLine(ex.getMessage()));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return EXIT_ERROR;
        });
        return cl;
    }

    /** The most useful one-line message of an exception chain, safe to print on a terminal. */
    static String message(Throwable ex) {
        return oneLine(rawMessage(ex));
    }

    /**
     * One line from a message that may span several (Jackson appends the source location on a
     * second line) or repeat our prefix (picocli's "Error: ..."), with control characters from
     * input files escaped ({@link org.varec.util.Text#printable}).
     */
    static String oneLine(String m) {
        if (m == null) {
            return "unknown error";
        }
        String s = m.strip();
        while (s.regionMatches(true, 0, "error: ", 0, 7)) {
            s = s.substring(7).strip();
        }
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            String rest = s.substring(nl + 1).strip();
            s = s.substring(0, nl).strip();
            // keep a location line's position in one line: " (at line 3, column 7)"
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)").matcher(rest);
            if (at.find()) {
                s += " (at line " + at.group(1) + ", column " + at.group(2) + ")";
            }
        }
        return org.varec.util.Text.printable(s);
    }

    private static String rawMessage(Throwable ex) {
        Throwable t = ex;
        while ((t.getMessage() == null || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + m;
        }
        if (t instanceof OutOfMemoryError oom) {
            return outOfMemory(oom);
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /**
     * The one line for an {@link OutOfMemoryError}: the heap it had, and the fix with a size to try
     * (four times the heap, at least 1 GB).
     */
    static String outOfMemory(OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        long mb = 1L << 20;
        long suggestGb = Math.max(1, (4 * max + 1023 * mb) / (1024 * mb));
        String what = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        return "out of memory" + what + ": this needs more than the JVM's heap of " + (max + mb / 2) / mb
                + " MB; give it more, e.g. VAREC_JAVA_OPTS=-Xmx" + suggestGb + "g bin/varec ...";
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"varec " + Version.get() + " (Java " + Runtime.version() + ")"};
        }
    }
}

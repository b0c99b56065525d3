package org.varec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link VarecCommand#commandLine(String...)} builds only the subcommand a command line names (a
 * faster start); everything else (usage, {@code help}, a misspelt command) gets the whole tree.
 * The other CLI tests run through it too ({@link CliRun}).
 */
class CommandTreeTest {
    private static List<String> names(CommandLine cl) {
        return new ArrayList<>(cl.getSubcommands().keySet());
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertEquals(List.of("eval"), names(VarecCommand.commandLine("eval", "--help")));
        assertEquals(List.of("algos"), names(VarecCommand.commandLine("-q", "algos")));
        assertEquals(List.of("data"), names(VarecCommand.commandLine("--debug", "data", "split", "--help")));
        assertEquals(List.of("aot-training"), names(VarecCommand.commandLine("aot-training")));
    }

    @Test
    void everythingElseGetsTheWholeTreeInUsageOrder() {
        List<String> all = names(VarecCommand.commandLine());
        assertEquals(VarecCommand.SUBCOMMANDS.size(), all.size());
        assertEquals(List.of("quickstart", "data", "train", "eval"), all.subList(0, 4));
        assertEquals("help", all.get(all.size() - 1));
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "eval"}, {"evl"}, {"-q"}}) {
            assertEquals(all, names(VarecCommand.commandLine(args)), String.join(" ", args));
        }
    }

    @Test
    void usageAndErrorsAreThoseOfTheWholeTree() {
        CliRun usage = CliRun.of("--help");
        assertEquals(0, usage.exit());
        for (String name : List.of("quickstart", "eval", "train", "tune", "compare", "serve", "algos")) {
            assertTrue(usage.out().contains(name), name + " missing from the usage:\n" + usage.out());
        }
        CliRun misspelt = CliRun.of("evl", "--data", "x");
        assertEquals(VarecCommand.EXIT_ERROR, misspelt.exit());
        assertTrue(misspelt.err().contains("evl"), misspelt.err());
        CliRun help = CliRun.of("help", "algos");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("algos"), help.out());
    }

    @Test
    void inheritedOptionsWorkAfterTheCommand() {
        CliRun run = CliRun.of("algos", "-q", "--debug");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("als"), run.out());
    }
}

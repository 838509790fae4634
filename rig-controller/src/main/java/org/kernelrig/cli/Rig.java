package org.kernelrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Properties;

import org.kernelrig.LabException;
import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code rig} command: its subcommands do the work. */
@Command(name = "rig",
        mixinStandardHelpOptions = true,
        versionProvider = Rig.Version.class,
        description = {
            "Crash-tests Linux kernels on real boards: netconsole to this machine over UDP,",
            "serial console as fallback, power control, and a report of what the kernel said."},
        subcommands = {
            RunCommand.class,
            BoardsCommand.class,
            BoardCommand.class,
            CheckCommand.class,
            ListenCommand.class,
            NetconsoleCommand.class,
            AnalyzeCommand.class,
            PowerCommand.class,
            ConsoleCommand.class,
            SubmitCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; a run's kernel did what the scenario expects",
            "1:a run's outcome is fail: the kernel did not do what the scenario expects",
            "2:bad usage or invalid files",
            "125:an infrastructure error: the lab failed, not the kernel (git bisect run skips the commit)"},
        footer = {"%nDocumentation: README.md in the rig repository."})
public final class Rig implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show details and stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with rig's error handling and exit codes; tests use it as the launcher does. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Rig());
        commandLine.setExecutionExceptionHandler(Rig::handle);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = Arrays.asList(parseResult.originalArgs().toArray(new String[0])).contains("--verbose");
        int code;
        if (e instanceof InvalidConfigException invalid) {
            for (ConfigProblem problem : invalid.problems()) {
                err.println(problem.render());
            }
            code = ExitCodes.INVALID;
        } else if (e instanceof LabException lab) {
            err.println("rig: error: " + lab.getMessage());
            if (lab.hint() != null) {
                err.println("  " + lab.hint().replace("\n", "\n  "));
            }
            code = ExitCodes.LAB_ERROR;
        } else {
            err.println("rig: internal error: " + e);
            if (!verbose) {
                err.println("  run again with --verbose for the stack trace, and please report it");
            }
            code = ExitCodes.LAB_ERROR;
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** rig's version, e.g. {@code 0.1.0}. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Rig.class.getResourceAsStream("/org/kernelrig/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown, then
        }
        return properties.getProperty("version", "unknown");
    }

    /** The version from the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rig " + version(),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch")};
        }
    }
}

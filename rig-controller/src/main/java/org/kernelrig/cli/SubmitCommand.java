package org.kernelrig.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.kernelrig.report.KcidbSubmission;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig submit kcidb FILE --url URL}: results where kernel people read them. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Send reports to a results database.",
        subcommands = SubmitCommand.Kcidb.class)
final class SubmitCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to submit: rig submit kcidb FILE --url URL");
    }

    /** The variable that holds the token, unless --token-env names another. */
    static final String TOKEN_VARIABLE = "RIG_KCIDB_TOKEN";

    @Command(name = "kcidb", mixinStandardHelpOptions = true, description = {
        "POST a kcidb.json (KernelCI's KCIDB schema 5.3, written by rig run beside its other reports) to a KCIDB "
                + "submission service, with the token of the environment variable " + TOKEN_VARIABLE + " as a bearer "
                + "token.",
        "Exit code 0: accepted; 2: the file is not a KCIDB document, or no token; 125: the service refused it or "
                + "could not be reached."})
    static final class Kcidb implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "A kcidb.json, e.g. reports/<suite-id>/kcidb.json.")
        Path file;

        @Option(names = "--url", paramLabel = "URL", required = true,
                description = "The service's submission URL (http or https), as KernelCI gave it with your token.")
        URI url;

        @Option(names = "--token-env", paramLabel = "NAME", defaultValue = TOKEN_VARIABLE,
                description = "The environment variable that holds the token (default: ${DEFAULT-VALUE}).")
        String tokenVariable;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
                description = "How long to wait for the service (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--url must be an http:// or https:// URL, got '" + url + "'");
            }
            KcidbSubmission.Document document = KcidbSubmission.read(file, file.toString());
            String token = System.getenv(tokenVariable);
            if (token == null || token.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no token: the environment variable "
                        + tokenVariable + " is not set; export " + tokenVariable
                        + "=TOKEN (the token KernelCI gave your lab) and try again");
            }
            if (token.strip().chars().anyMatch(Character::isISOControl)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the token in " + tokenVariable
                        + " holds control characters (a line break?): set it to the token alone");
            }
            KcidbSubmission.Receipt receipt = new KcidbSubmission(timeout).submit(document, url, token.strip());
            PrintWriter out = spec.commandLine().getOut();
            out.println("submitted " + file + " to " + url + ": HTTP " + receipt.status() + " (" + receipt.tests()
                    + " test(s), " + receipt.issues() + " issue(s), " + receipt.incidents() + " incident(s))");
            out.flush();
            return ExitCodes.OK;
        }
    }
}

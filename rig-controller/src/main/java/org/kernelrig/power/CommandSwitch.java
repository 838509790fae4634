package org.kernelrig.power;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.kernelrig.LabException;

/**
 * Power switched by commands the inventory gives, run on this machine with
 * {@code /bin/sh -c} (they are the inventory author's own, trusted like a
 * script in the repository), with {@code RIG_BOARD} set to the board's name.
 *
 * <p>{@code on}, {@code off} and {@code reset} succeed when they exit 0.
 * {@code status} tells the state: when the last line it prints ends with the
 * word {@code on} or {@code off} (any case, e.g. {@code Outlet 3: ON}), that is
 * the state; otherwise exit status 0 means on and 1 means off; anything else
 * is an error. Every command has the time limit {@code timeout}; one that runs
 * longer is killed with its children. Output is kept up to 64 KiB for messages.
 *
 * <p>Inventory: {@code power: {driver: command, on: "usbrelay RELAY_1=1", off: "usbrelay RELAY_1=0"}}
 * ({@code status} and {@code reset} optional; {@code timeout} defaults to 30s).
 */
public final class CommandSwitch implements PowerSwitch {

    private static final int MAX_OUTPUT = 64 * 1024;

    /** What a command did. */
    record Result(int exitCode, String output) {
    }

    private final String board;
    private final String onCommand;
    private final String offCommand;
    private final String statusCommand;
    private final String resetCommand;
    private final Duration timeout;

    public CommandSwitch(String board, String onCommand, String offCommand, String statusCommand,
            String resetCommand, Duration timeout) {
        this.board = board;
        this.onCommand = onCommand;
        this.offCommand = offCommand;
        this.statusCommand = statusCommand;
        this.resetCommand = resetCommand;
        this.timeout = timeout;
    }

    @Override
    public void on() throws LabException {
        runOrFail("on", onCommand);
    }

    @Override
    public void off() throws LabException {
        runOrFail("off", offCommand);
    }

    @Override
    public boolean canReset() {
        return resetCommand != null;
    }

    @Override
    public void reset() throws LabException {
        if (resetCommand == null) {
            PowerSwitch.super.reset();
        }
        runOrFail("reset", resetCommand);
    }

    @Override
    public Optional<State> state() throws LabException {
        if (statusCommand == null) {
            return Optional.empty();
        }
        Result result = run("status", statusCommand);
        Optional<State> said = parseStatus(result.output());
        if (said.isPresent()) {
            return said;
        }
        return switch (result.exitCode()) {
            case 0 -> Optional.of(State.ON);
            case 1 -> Optional.of(State.OFF);
            default -> throw PowerFailure.of(board, this, "the status command exited with " + result.exitCode()
                    + tail(result.output()), "it should print on or off, or exit 0 for on and 1 for off");
        };
    }

    /** The state a status command's output states in its last line, if it does. */
    static Optional<State> parseStatus(String output) {
        List<String> lines = output.strip().lines().toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String[] words = lines.get(lines.size() - 1).strip().toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        String last = words.length == 0 ? "" : words[words.length - 1];
        return switch (last) {
            case "on" -> Optional.of(State.ON);
            case "off" -> Optional.of(State.OFF);
            default -> Optional.empty();
        };
    }

    private void runOrFail(String what, String command) throws LabException {
        Result result = run(what, command);
        if (result.exitCode() != 0) {
            throw PowerFailure.of(board, this, "the " + what + " command exited with " + result.exitCode()
                    + tail(result.output()), "run it by hand: sh -c '" + command.replace("'", "'\\''") + "'");
        }
    }

    private Result run(String what, String command) throws LabException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("RIG_BOARD", board);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "cannot run the " + what + " command: " + e.getMessage(), null, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(process.getInputStream(), output), "power-command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw PowerFailure.of(board, this, "the " + what + " command did not finish within "
                        + timeout.toMillis() + " ms and was killed" + tail(text(output)),
                        "does it wait for input or a device that is not there? raise power.timeout if it is slow");
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "cannot run the " + what + " command: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw PowerFailure.of(board, this, "interrupted while running the " + what + " command", null);
        }
        return new Result(process.exitValue(), text(output));
    }

    private static void drain(InputStream in, ByteArrayOutputStream output) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (output) {
                    output.write(buffer, 0, Math.max(0, Math.min(n, MAX_OUTPUT - output.size())));
                }
            }
        } catch (IOException e) {
            // the process was killed: what it printed so far is kept
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static String tail(String output) {
        String text = output.strip();
        if (text.isEmpty()) {
            return "";
        }
        return "; it printed: " + (text.length() > 500 ? "..." + text.substring(text.length() - 500) : text);
    }

    @Override
    public String describe() {
        return "command";
    }
}

package org.kernelrig.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.kernelrig.console.ConsoleLine;
import org.kernelrig.run.RunListener;

/**
 * Shows a run's progress: on a terminal, one status line that updates (phase,
 * elapsed time, lines on each channel, a spinner) above the finished phases;
 * elsewhere, plain lines as phases end.
 */
final class RunProgress implements RunListener, AutoCloseable {

    private static final String SPINNER = "|/-\\";

    private final PrintWriter out;
    private final boolean terminal;
    private final AtomicLong netconsole = new AtomicLong();
    private final AtomicLong serial = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private volatile String phase;
    private volatile long phaseStart;
    private int tick;

    RunProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.ticker = terminal ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rig-progress");
            t.setDaemon(true);
            return t;
        }) : null;
        if (terminal) {
            ticker.scheduleAtFixedRate(this::redraw, 200, 200, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void phaseStarted(String name) {
        phase = name;
        phaseStart = System.nanoTime();
    }

    @Override
    public synchronized void phaseEnded(String name, Duration took, String status, String detail) {
        phase = null;
        String mark = status.equals("ok") ? "ok" : status;
        print(String.format(Locale.ROOT, "%-11s %-11s %6.1f s%s", name, mark, took.toMillis() / 1000.0,
                detail == null ? "" : "  " + detail));
    }

    @Override
    public synchronized void note(String message) {
        print("  " + message);
    }

    @Override
    public void lineReceived(ConsoleLine.Source source) {
        (source == ConsoleLine.Source.SERIAL ? serial : netconsole).incrementAndGet();
    }

    private void print(String line) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(line);
        out.flush();
    }

    private synchronized void redraw() {
        String current = phase;
        if (current == null) {
            return;
        }
        double elapsed = (System.nanoTime() - phaseStart) / 1e9;
        out.print(String.format(Locale.ROOT, "\r\033[K%c %-11s %6.1f s   netconsole %d lines   serial %d lines",
                SPINNER.charAt(tick++ % SPINNER.length()), current, elapsed, netconsole.get(), serial.get()));
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            out.print("\r\033[K");
            out.flush();
        }
    }
}

package org.kernelrig.netconsole;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.kernelrig.console.ConsoleLine;

/** Who wants the lines: subscribers of every patient or of one, and those waiting for a text. */
final class LineSubscribers {

    /** Someone waiting for a text from a patient. */
    record Waiter(InetAddress patient, String text, CountDownLatch arrived) {
    }

    private final List<Consumer<ConsoleLine>> everyPatient = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<InetAddress, List<Consumer<ConsoleLine>>> byPatient = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();

    void subscribe(Consumer<ConsoleLine> subscriber) {
        everyPatient.add(subscriber);
    }

    void subscribe(InetAddress patient, Consumer<ConsoleLine> subscriber) {
        byPatient.computeIfAbsent(patient, p -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    void addWaiter(Waiter waiter) {
        waiters.add(waiter);
    }

    void removeWaiter(Waiter waiter) {
        waiters.remove(waiter);
    }

    /** Whether anyone subscribed to or waits for this patient's lines. */
    boolean wants(InetAddress patient) {
        return !everyPatient.isEmpty() || !waiters.isEmpty() || byPatient.containsKey(patient);
    }

    void deliver(InetAddress patient, ConsoleLine line) {
        for (Consumer<ConsoleLine> subscriber : everyPatient) {
            call(subscriber, line);
        }
        List<Consumer<ConsoleLine>> own = byPatient.get(patient);
        if (own != null) {
            for (Consumer<ConsoleLine> subscriber : own) {
                call(subscriber, line);
            }
        }
        for (Waiter waiter : waiters) {
            if (waiter.patient().equals(patient) && line.text().contains(waiter.text())) {
                waiter.arrived().countDown();
            }
        }
    }

    private void call(Consumer<ConsoleLine> subscriber, ConsoleLine line) {
        try {
            subscriber.accept(line);
        } catch (RuntimeException e) {
            // A failing subscriber must not stop the capture of the others.
            failures.incrementAndGet();
        }
    }

    long failures() {
        return failures.get();
    }
}

package org.kernelrig.netconsole;

import java.time.Duration;

/** Whatever receives a patient's netconsole: it says whether a text arrived in time. */
@FunctionalInterface
public interface MarkerWitness {

    boolean awaitText(String text, Duration limit) throws InterruptedException;
}

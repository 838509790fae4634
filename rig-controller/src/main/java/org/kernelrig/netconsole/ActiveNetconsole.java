package org.kernelrig.netconsole;

/**
 * A netconsole target rig has set up on a patient, with what it takes to undo it.
 *
 * @param method          {@code configfs} or {@code module}, as it was done
 * @param loadedByRig     rig loaded the module, so it unloads it at clean-up
 * @param oldLogLevel     the console log level before rig raised it, or -1 when it did not
 */
public record ActiveNetconsole(NetconsolePlan plan, String method, boolean loadedByRig, int oldLogLevel) {
}

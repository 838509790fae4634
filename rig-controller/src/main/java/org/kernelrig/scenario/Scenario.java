package org.kernelrig.scenario;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One crash test: what to do to a board's kernel and what it should do in answer.
 *
 * @param debianBug     the Debian bug this scenario reproduces, or 0
 * @param kernelRelease a regular expression the board's {@code uname -r} must match, or null
 * @param kernelVersion a regular expression the board's {@code uname -v} must match, or null
 * @param board         the board to run on unless the command line names one, or null
 * @param leaveBoardOn  the power state a board is left in at the end of a run
 */
public record Scenario(String name, String description, Path file, int debianBug, Pattern kernelRelease,
        Pattern kernelVersion, String board, Trigger trigger, Expectation expect, TimeLimits limits,
        boolean leaveBoardOn) {
}

package org.kernelrig.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used, with every problem found in it. */
public class InvalidConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::render).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}

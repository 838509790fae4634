package org.kernelrig.suite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kernelrig.report.Outcome;
import org.kernelrig.report.RunReport;
import org.kernelrig.suite.SuiteReport.BrokenBoard;

/**
 * Tells which boards of a suite need a person: a board whose every run
 * ended in a lab error, or one that did not come back after its last run.
 * A single lab error among good runs is a flake, not a broken board.
 */
public final class BrokenBoards {

    private BrokenBoards() {
    }

    public static List<BrokenBoard> find(List<RunReport> runs) {
        Map<String, List<RunReport>> byBoard = new LinkedHashMap<>();
        runs.forEach(r -> byBoard.computeIfAbsent(r.board().name(), b -> new ArrayList<>()).add(r));
        List<BrokenBoard> broken = new ArrayList<>();
        byBoard.forEach((board, boardRuns) -> {
            List<RunReport> ordered = boardRuns.stream().sorted(Comparator.comparing(RunReport::started)).toList();
            RunReport last = ordered.get(ordered.size() - 1);
            List<String> ids = ordered.stream().map(RunReport::runId).toList();
            if (ordered.stream().allMatch(r -> r.outcome() == Outcome.ERROR)) {
                String reasons = String.join("; ", ordered.stream().map(r -> firstLine(r.reason())).distinct()
                        .limit(3).toList());
                broken.add(new BrokenBoard(board, (ordered.size() == 1 ? "its run ended in a lab error: "
                        : "all " + ordered.size() + " runs ended in a lab error: ") + reasons, ids));
            } else if (last.recovery() != null && !last.recovery().boardBack()) {
                broken.add(new BrokenBoard(board, "did not come back after " + last.scenario().name() + " ("
                        + last.recovery().method() + (last.recovery().detail() == null ? ""
                                : ": " + firstLine(last.recovery().detail())) + ")", List.of(last.runId())));
            }
        });
        return broken;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}

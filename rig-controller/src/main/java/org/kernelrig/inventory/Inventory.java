package org.kernelrig.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;
import org.kernelrig.config.Suggestions;

/** The boards of a bench: every {@code *.yaml} file of an inventory folder, one board each. */
public final class Inventory {

    private final Path directory;
    private final Map<String, Board> boards;

    private Inventory(Path directory, Map<String, Board> boards) {
        this.directory = directory;
        this.boards = Collections.unmodifiableMap(boards);
    }

    /**
     * Loads every board file of {@code directory}; any invalid file makes the
     * whole inventory invalid, with the problems of all files.
     */
    public static Inventory load(Path directory) throws InvalidConfigException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidConfigException(new ConfigProblem(new Location(directory.toString(), 0, 0),
                    "inventory folder not found", "give one with --inventory DIR, or set RIG_INVENTORY"));
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new InvalidConfigException(new ConfigProblem(new Location(directory.toString(), 0, 0),
                    "cannot list the inventory folder: " + e.getMessage(), null));
        }
        Map<String, Board> boards = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                Board board = BoardFile.load(file, displayName(file));
                Board other = boards.putIfAbsent(board.name(), board);
                if (other != null) {
                    problems.add(new ConfigProblem(new Location(displayName(file), 0, 0),
                            "board name '" + board.name() + "' is also used by " + displayName(other.file()),
                            "give each board a name of its own"));
                }
            } catch (InvalidConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new Inventory(directory, boards);
    }

    public Path directory() {
        return directory;
    }

    public List<Board> boards() {
        return List.copyOf(boards.values());
    }

    public Optional<Board> find(String name) {
        return Optional.ofNullable(boards.get(name));
    }

    public List<String> names() {
        return List.copyOf(boards.keySet());
    }

    /**
     * The board called {@code name}, or an error naming the boards there are
     * and the nearest one to a typo.
     */
    public Board require(String name, Location at) throws InvalidConfigException {
        Board board = boards.get(name);
        if (board != null) {
            return board;
        }
        throw new InvalidConfigException(new ConfigProblem(at, unknownBoardMessage(name), unknownBoardHint(name)));
    }

    public String unknownBoardMessage(String name) {
        return "board '" + name + "' is not in the inventory (" + displayName(directory) + ")";
    }

    public String unknownBoardHint(String name) {
        String nearest = Suggestions.nearest(name, boards.keySet()).map(n -> "did you mean '" + n + "'? ").orElse("");
        return nearest + (boards.isEmpty() ? "the inventory has no boards" : "boards: " + String.join(", ", boards.keySet()));
    }

    /** A path as short as it can be shown: relative to the working directory when below it. */
    public static String displayName(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        return absolute.startsWith(here) && !absolute.equals(here) ? here.relativize(absolute).toString() : path.toString();
    }
}

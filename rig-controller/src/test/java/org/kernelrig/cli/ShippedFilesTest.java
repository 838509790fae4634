package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The scenarios, boards and examples shipped in the repository are valid, and the listing shows them. */
class ShippedFilesTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void everyShippedFileChecksOk() throws IOException {
        List<String> args = new ArrayList<>(List.of("check", "--inventory", "../inventory"));
        int files = 0;
        for (String folder : List.of("scenarios", "inventory", "inventory/examples")) {
            try (Stream<Path> list = Files.list(ROOT.resolve(folder))) {
                for (Path file : list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    args.add(file.toString());
                    files++;
                }
            }
        }
        args.add(ROOT.resolve("known-crashes.yaml").toString());
        files++;
        RigRunner.Result result = RigRunner.run(args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, result.exitCode(), result.err());
        assertEquals(files, result.out().lines().filter(l -> l.contains(": OK (")).count(), result.out());
        assertTrue(files >= 4);
    }

    @Test
    void boardsListsTheVirtualBoard() {
        RigRunner.Result result = RigRunner.run("boards", "--inventory", "../inventory");

        assertEquals(ExitCodes.OK, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME\\s+KIND\\s+ADDRESS\\s+SERIAL\\s+POWER"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("qemu-x86_64\\s+virtual\\s+root@127\\.0\\.0\\.1:auto\\s+pty\\s+qemu")),
                result.out());
    }

    @Test
    void boardsAsJson() throws IOException {
        RigRunner.Result result = RigRunner.run("boards", "--json", "--inventory", "../inventory");

        JsonNode boards = new ObjectMapper().readTree(result.out());
        JsonNode qemu = null;
        for (JsonNode board : boards) {
            if (board.get("name").asText().equals("qemu-x86_64")) {
                qemu = board;
            }
        }
        assertEquals("virtual", qemu.get("kind").asText());
        assertEquals("qemu", qemu.get("power").asText());
        assertTrue(qemu.get("port").isNull(), "port chosen at start");
    }

    @Test
    void exampleBoardIsNotPartOfTheInventory() {
        RigRunner.Result result = RigRunner.run("boards", "--inventory", "../inventory");

        assertTrue(result.out().lines().noneMatch(l -> l.startsWith("bench-pi4")), result.out());
    }
}

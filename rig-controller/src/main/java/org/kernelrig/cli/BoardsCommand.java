package org.kernelrig.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kernelrig.inventory.Board;
import org.kernelrig.inventory.Inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rig boards}: the boards of the inventory, one line each. */
@Command(name = "boards", mixinStandardHelpOptions = true, description = "List the boards of the inventory: name, kind, address, serial, power.")
final class BoardsCommand implements Callable<Integer> {

    @Mixin
    InventoryOption inventory;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inventory boards = inventory.load();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Board board : boards.boards()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", board.name());
                entry.put("kind", board.kind());
                entry.put("host", board.ssh().host());
                entry.put("port", board.ssh().port() == 0 ? null : board.ssh().port());
                entry.put("user", board.ssh().user());
                entry.put("serial", board.serialConsole().map(s -> s.describe()).orElse(null));
                entry.put("power", board.power().driver());
                entry.put("tags", board.tags());
                entry.put("description", board.description());
                entry.put("file", Inventory.displayName(board.file()));
                list.add(entry);
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list));
            return ExitCodes.OK;
        }
        if (boards.boards().isEmpty()) {
            out.println("no boards in " + Inventory.displayName(boards.directory()));
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "KIND", "ADDRESS", "SERIAL", "POWER"});
        for (Board board : boards.boards()) {
            rows.add(new String[] {board.name(), board.kind(), board.address(),
                board.serialConsole().map(s -> s.describe()).orElse("-"), board.power().describe()});
        }
        Table.print(out, rows);
        return ExitCodes.OK;
    }
}

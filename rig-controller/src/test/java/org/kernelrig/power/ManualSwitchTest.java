package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;

class ManualSwitchTest {

    @Test
    void refusesWithoutATerminal() {
        // the build runs tests without a terminal, as CI runs rig
        assertEquals(null, System.console());
        LabException e = assertThrows(LabException.class, () -> new ManualSwitch("bench-x").off());
        assertEquals("board bench-x: power switch manual: needs an operator at a terminal, and there is none",
                e.getMessage());
        assertTrue(e.hint().contains("relay or PDU"));
    }

    @Test
    void asksTheOperatorAndWaitsForEnter() throws Exception {
        StringWriter screen = new StringWriter();
        ManualSwitch power = new ManualSwitch("bench-x", new BufferedReader(new StringReader("\n\n")),
                new PrintWriter(screen));
        power.off();
        power.cycle(Duration.ofSeconds(5));
        assertEquals("rig: please switch the power of board bench-x OFF, then press Enter: "
                + "rig: please switch the power of board bench-x OFF, wait 5 s, and switch it ON again, then press Enter: ",
                screen.toString());
        LabException e = assertThrows(LabException.class, power::on);
        assertTrue(e.getMessage().endsWith("the terminal closed before the operator confirmed"));
    }
}

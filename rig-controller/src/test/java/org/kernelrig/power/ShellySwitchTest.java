package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Shelly driver against a loopback emulator of a Shelly Plus 2PM's JSON-RPC interface (switches 0 and 1). */
class ShellySwitchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Switches 0 and 1 of a Gen2 device; {@code locked} answers 401 as with authentication on. */
    static final class Shelly extends HttpDeviceEmulator {
        final boolean[] output = new boolean[2];
        volatile boolean locked;

        Shelly() throws IOException {
        }

        @Override
        protected Answer answer(Request request) {
            if (locked) {
                return new Answer(401, "");
            }
            try {
                JsonNode call = JSON.readTree(request.body());
                int id = call.path("params").path("id").asInt(-1);
                String head = "{\"id\":" + call.path("id").asInt() + ",\"src\":\"shellyplus2pm-a8032ab12345\",";
                if (!request.method().equals("POST") || !request.uri().equals("/rpc")) {
                    return new Answer(404, "");
                }
                if (id < 0 || id >= output.length) {
                    return new Answer(200, head + "\"error\":{\"code\":-105,\"message\":\"Argument 'id', value " + id
                            + " not found!\"}}");
                }
                return switch (call.path("method").asText()) {
                    case "Switch.Set" -> {
                        boolean was = output[id];
                        output[id] = call.path("params").path("on").asBoolean();
                        yield new Answer(200, head + "\"result\":{\"was_on\":" + was + "}}");
                    }
                    case "Switch.GetStatus" -> new Answer(200, head + "\"result\":{\"id\":" + id
                            + ",\"source\":\"HTTP_in\",\"output\":" + output[id] + ",\"apower\":0.0}}");
                    default -> new Answer(404, head + "\"error\":{\"code\":404,\"message\":\"No handler\"}}");
                };
            } catch (IOException e) {
                return new Answer(400, "");
            }
        }
    }

    private Shelly device;

    @BeforeEach
    void start() throws IOException {
        device = new Shelly();
    }

    @AfterEach
    void stop() {
        device.close();
    }

    @Test
    void setsAndReadsSwitchOne() throws Exception {
        ShellySwitch shelly = new ShellySwitch("jetson", "127.0.0.1", device.port(), 1, Duration.ofSeconds(5));
        shelly.on();
        assertEquals(Optional.of(PowerSwitch.State.ON), shelly.state());
        shelly.off();
        assertEquals(Optional.of(PowerSwitch.State.OFF), shelly.state());
        List<JsonNode> calls = device.requests.stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertEquals(JSON.readTree("{\"id\":1,\"method\":\"Switch.Set\",\"params\":{\"id\":1,\"on\":true}}"), calls.get(0));
        assertEquals(JSON.readTree("{\"id\":1,\"method\":\"Switch.GetStatus\",\"params\":{\"id\":1}}"), calls.get(1));
        assertEquals(JSON.readTree("{\"id\":1,\"method\":\"Switch.Set\",\"params\":{\"id\":1,\"on\":false}}"), calls.get(2));
        assertTrue(device.requests.stream().allMatch(r -> r.method().equals("POST") && r.uri().equals("/rpc")));
    }

    @Test
    void anRpcErrorIsALabError() {
        LabException e = assertThrows(LabException.class,
                () -> new ShellySwitch("jetson", "127.0.0.1", device.port(), 5, Duration.ofSeconds(5)).on());
        assertEquals("board jetson: power switch shelly http://127.0.0.1:" + device.port()
                + " switch 5: Switch.Set failed: Argument 'id', value 5 not found!", e.getMessage());
    }

    @Test
    void authenticationIsReportedAsUnsupported() {
        device.locked = true;
        LabException e = assertThrows(LabException.class,
                () -> new ShellySwitch("jetson", "127.0.0.1", device.port(), 0, Duration.ofSeconds(5)).state());
        assertTrue(e.getMessage().endsWith("the device asks for authentication, which rig does not support"));
    }

    @Test
    void aSilentDeviceTimesOut() throws Exception {
        try (SilentPeer silent = new SilentPeer()) {
            LabException e = assertThrows(LabException.class,
                    () -> new ShellySwitch("jetson", "127.0.0.1", silent.port(), 0, Duration.ofMillis(300)).off());
            assertTrue(e.getMessage().endsWith("switch 0: no answer within 300 ms (Switch.Set)"), e.getMessage());
        }
    }
}

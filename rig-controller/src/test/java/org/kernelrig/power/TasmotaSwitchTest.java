package org.kernelrig.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernelrig.LabException;

/** The Tasmota driver against a loopback emulator of Tasmota's /cm command interface. */
class TasmotaSwitchTest {

    /** Tasmota with {@code relays} relays, and a web password when {@code password} is set. */
    static final class Tasmota extends HttpDeviceEmulator {
        final boolean[] power;
        final String password;

        Tasmota(int relays, String password) throws IOException {
            this.power = new boolean[relays + 1];
            this.password = password;
        }

        @Override
        protected Answer answer(Request request) {
            Map<String, String> query = new HashMap<>();
            for (String pair : request.uri().replaceFirst("^/cm\\?", "").split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            if (password != null && !(password.equals(query.get("password")) && "admin".equals(query.get("user")))) {
                return new Answer(200, "{\"WARNING\":\"Need user=<username>&password=<password>\"}");
            }
            String[] command = query.getOrDefault("cmnd", "").split(" ");
            if (!command[0].matches("Power\\d") || command[0].charAt(5) - '0' >= power.length) {
                return new Answer(200, "{\"Command\":\"Unknown\"}");
            }
            int relay = command[0].charAt(5) - '0';
            if (command.length > 1) {
                power[relay] = command[1].equalsIgnoreCase("ON");
            }
            String key = power.length == 2 ? "POWER" : "POWER" + relay;
            return new Answer(200, "{\"" + key + "\":\"" + (power[relay] ? "ON" : "OFF") + "\"}");
        }
    }

    private Tasmota device;

    @AfterEach
    void stop() {
        device.close();
    }

    @Test
    void switchesRelayTwoOfAFourRelayBoard() throws Exception {
        device = new Tasmota(4, null);
        TasmotaSwitch plug = new TasmotaSwitch("rk3588", "127.0.0.1", device.port(), 2, null, null, Duration.ofSeconds(5));
        plug.on();
        assertEquals(Optional.of(PowerSwitch.State.ON), plug.state());
        plug.off();
        assertEquals(Optional.of(PowerSwitch.State.OFF), plug.state());
        assertEquals(List.of("/cm?cmnd=Power2%20ON", "/cm?cmnd=Power2", "/cm?cmnd=Power2%20OFF", "/cm?cmnd=Power2"),
                device.requests.stream().map(HttpDeviceEmulator.Request::uri).toList());
    }

    @Test
    void aSinglePlugAnswersPowerWithoutNumberAndWantsItsPassword() throws Exception {
        device = new Tasmota(1, "s3cr&t");
        new TasmotaSwitch("rk3588", "127.0.0.1", device.port(), 1, "admin", "s3cr&t", Duration.ofSeconds(5)).on();
        assertTrue(device.power[1]);
        assertEquals("/cm?user=admin&password=s3cr%26t&cmnd=Power1%20ON", device.requests.get(0).uri());

        LabException e = assertThrows(LabException.class, () -> new TasmotaSwitch("rk3588", "127.0.0.1",
                device.port(), 1, null, null, Duration.ofSeconds(5)).off());
        assertTrue(e.getMessage().endsWith("the device says 'Need user=<username>&password=<password>'"), e.getMessage());
        assertTrue(e.hint().contains("power.password"));
    }

    @Test
    void anUnknownRelayIsALabError() throws Exception {
        device = new Tasmota(1, null);
        LabException e = assertThrows(LabException.class, () -> new TasmotaSwitch("rk3588", "127.0.0.1",
                device.port(), 3, null, null, Duration.ofSeconds(5)).on());
        assertEquals("board rk3588: power switch tasmota http://127.0.0.1:" + device.port()
                + " relay 3: no POWER3 in the answer '{\"Command\":\"Unknown\"}'", e.getMessage());
    }

    @Test
    void aSilentDeviceTimesOut() throws Exception {
        device = new Tasmota(1, null);
        try (SilentPeer silent = new SilentPeer()) {
            LabException e = assertThrows(LabException.class, () -> new TasmotaSwitch("rk3588", "127.0.0.1",
                    silent.port(), 1, null, null, Duration.ofMillis(300)).on());
            assertTrue(e.getMessage().endsWith("relay 1: no answer within 300 ms"), e.getMessage());
        }
    }
}

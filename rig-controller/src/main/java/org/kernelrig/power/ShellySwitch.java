package org.kernelrig.power;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A switch of a Shelly Gen2 or later device (Plus, Pro) over its JSON-RPC interface.
 *
 * <p>Protocol: {@code POST /rpc} with
 * {@code {"id":1,"method":"Switch.Set","params":{"id":0,"on":true}}}; the
 * answer has {@code result} (e.g. {@code {"was_on":false}}) or {@code error}
 * ({@code {"code":-105,"message":"..."}}). {@code Switch.GetStatus} with
 * {@code {"id":0}} answers the switch's status, whose {@code output} is
 * true when it is on. Devices with authentication enabled (HTTP digest) are
 * not supported: they answer 401 and rig says so.
 *
 * <p>Inventory: {@code power: {driver: shelly, host: 192.168.1.62, switch: 0}}
 * ({@code port} defaults to 80, {@code switch} to 0, {@code timeout} to 5s).
 */
public final class ShellySwitch implements PowerSwitch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String board;
    private final String host;
    private final int port;
    private final int switchId;
    private final Duration timeout;
    private final HttpEndpoint http;

    public ShellySwitch(String board, String host, int port, int switchId, Duration timeout) {
        this.board = board;
        this.host = host;
        this.port = port;
        this.switchId = switchId;
        this.timeout = timeout;
        this.http = new HttpEndpoint(timeout);
    }

    @Override
    public void on() throws LabException {
        call("Switch.Set", true);
    }

    @Override
    public void off() throws LabException {
        call("Switch.Set", false);
    }

    @Override
    public Optional<State> state() throws LabException {
        JsonNode output = call("Switch.GetStatus", null).get("output");
        if (output == null || !output.isBoolean()) {
            throw PowerFailure.of(board, this, "Switch.GetStatus has no output field", "is it a Shelly Gen2 switch?");
        }
        return Optional.of(output.asBoolean() ? State.ON : State.OFF);
    }

    /** Calls a method on this switch and returns its result. */
    private JsonNode call(String method, Boolean on) throws LabException {
        ObjectNode request = JSON.createObjectNode().put("id", 1).put("method", method);
        ObjectNode params = request.putObject("params").put("id", switchId);
        if (on != null) {
            params.put("on", on);
        }
        HttpEndpoint.Answer answer;
        try {
            answer = http.postJson(URI.create(base() + "/rpc"), request.toString());
        } catch (IOException e) {
            throw PowerFailure.of(board, this, HttpEndpoint.explain(e, timeout) + " (" + method + ")",
                    "is the device powered and on the network? open " + base() + " in a browser", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PowerFailure.of(board, this, "interrupted", null);
        }
        if (answer.status() == 401) {
            throw PowerFailure.of(board, this, "the device asks for authentication, which rig does not support",
                    "turn off the device's authentication, or use the command driver with curl --digest");
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            json = null;
        }
        if (json != null && json.has("error")) {
            JsonNode error = json.get("error");
            throw PowerFailure.of(board, this, method + " failed: " + error.path("message").asText("error "
                    + error.path("code").asText()), "does the device have switch " + switchId + "?");
        }
        if (answer.status() != 200 || json == null || !json.has("result")) {
            throw PowerFailure.of(board, this, method + " got HTTP " + answer.status() + " "
                    + HttpEndpoint.quote(answer.body()), "is it a Shelly Gen2 device? Gen1 devices are not supported");
        }
        return json.get("result");
    }

    private String base() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String describe() {
        return "shelly " + base() + " switch " + switchId;
    }
}

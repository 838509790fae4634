package org.kernelrig.power;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A relay of a device running Tasmota (smart plugs, relay boards) over its HTTP command interface.
 *
 * <p>Protocol: {@code GET /cm?cmnd=Power<n> ON} (or {@code OFF}), URL-encoded,
 * with {@code &user=...&password=...} when the device has a web password;
 * {@code Power<n>} alone asks the state. The answer is JSON such as
 * {@code {"POWER1":"ON"}}; a device with a single relay says
 * {@code {"POWER":"ON"}}. A device that wants a password answers
 * {@code {"WARNING":"Need user=<username>&password=<password>"}}; an unknown
 * relay answers {@code {"Command":"Unknown"}}. The new state in the answer is
 * checked against the one asked for.
 *
 * <p>Inventory: {@code power: {driver: tasmota, host: 192.168.1.61, relay: 1}}
 * ({@code port} defaults to 80; {@code user} and {@code password} when the web
 * interface has a password; {@code timeout} defaults to 5s).
 */
public final class TasmotaSwitch implements PowerSwitch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String board;
    private final String host;
    private final int port;
    private final int relay;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final HttpEndpoint http;

    public TasmotaSwitch(String board, String host, int port, int relay, String user, String password,
            Duration timeout) {
        this.board = board;
        this.host = host;
        this.port = port;
        this.relay = relay;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.http = new HttpEndpoint(timeout);
    }

    @Override
    public void on() throws LabException {
        expect(command("Power" + relay + " ON"), "ON");
    }

    @Override
    public void off() throws LabException {
        expect(command("Power" + relay + " OFF"), "OFF");
    }

    @Override
    public Optional<State> state() throws LabException {
        String value = command("Power" + relay);
        return switch (value) {
            case "ON" -> Optional.of(State.ON);
            case "OFF" -> Optional.of(State.OFF);
            default -> throw PowerFailure.of(board, this, "unexpected power state '" + value + "'", null);
        };
    }

    private void expect(String value, String wanted) throws LabException {
        if (!value.equals(wanted)) {
            throw PowerFailure.of(board, this, "asked for " + wanted + ", the device says " + value, null);
        }
    }

    /** Runs a command and returns the relay's state from the answer. */
    private String command(String command) throws LabException {
        StringBuilder query = new StringBuilder("/cm?");
        if (user != null || password != null) {
            query.append("user=").append(encode(user == null ? "admin" : user))
                    .append("&password=").append(encode(password == null ? "" : password)).append('&');
        }
        query.append("cmnd=").append(encode(command));
        URI uri = URI.create(base() + query);
        HttpEndpoint.Answer answer;
        try {
            answer = http.get(uri, Duration.ZERO);
        } catch (IOException e) {
            throw PowerFailure.of(board, this, HttpEndpoint.explain(e, timeout),
                    "is the device powered and on the network? open " + base() + " in a browser", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PowerFailure.of(board, this, "interrupted", null);
        }
        if (answer.status() == 401) {
            throw PowerFailure.of(board, this, "the device wants a password", "set power.user and power.password");
        }
        if (answer.status() != 200) {
            throw PowerFailure.of(board, this, "HTTP " + answer.status() + " " + HttpEndpoint.quote(answer.body()),
                    "is it a Tasmota device?");
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw PowerFailure.of(board, this, "the answer is not JSON: " + HttpEndpoint.quote(answer.body()),
                    "is it a Tasmota device?");
        }
        if (json != null && json.has("WARNING")) {
            throw PowerFailure.of(board, this, "the device says " + HttpEndpoint.quote(json.get("WARNING").asText()),
                    "set power.user and power.password to the device's web password");
        }
        JsonNode value = json == null ? null : json.get("POWER" + relay);
        if (value == null && relay == 1 && json != null) {
            value = json.get("POWER");
        }
        if (value == null || !value.isTextual()) {
            throw PowerFailure.of(board, this, "no POWER" + relay + " in the answer " + HttpEndpoint.quote(answer.body()),
                    "does the device have relay " + relay + "? Tasmota numbers relays from 1");
        }
        return value.asText().toUpperCase(java.util.Locale.ROOT);
    }

    private String base() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String describe() {
        return "tasmota " + base() + " relay " + relay;
    }
}

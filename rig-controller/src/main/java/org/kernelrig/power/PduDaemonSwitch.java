package org.kernelrig.power;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.kernelrig.LabException;

/**
 * A port of any PDU that pdudaemon drives, through pdudaemon's HTTP API.
 *
 * <p>Protocol: {@code GET /power/control/on?hostname=<pdu>&port=<n>}, likewise
 * {@code off}, and {@code reboot} with {@code &delay=<seconds>} between off and
 * on. pdudaemon answers 200 {@code OK - accepted request} once it took the
 * request and 500 {@code Invalid request} for an unknown PDU or request. It
 * switches on its own schedule and does not report whether the PDU obeyed, so
 * rig cannot know the state; a power cycle is one {@code reboot} request with
 * the board's off-time as delay, so pdudaemon keeps the order.
 *
 * <p>Inventory: {@code power: {driver: pdudaemon, pdu: pdu-rack1, port: 3}}
 * ({@code url} defaults to {@code http://127.0.0.1:16421}; {@code timeout} to 5s).
 */
public final class PduDaemonSwitch implements PowerSwitch {

    private final String board;
    private final String url;
    private final String pdu;
    private final int port;
    private final Duration timeout;
    private final HttpEndpoint http;

    public PduDaemonSwitch(String board, String url, String pdu, int port, Duration timeout) {
        this.board = board;
        this.url = url.replaceAll("/+$", "");
        this.pdu = pdu;
        this.port = port;
        this.timeout = timeout;
        this.http = new HttpEndpoint(timeout);
    }

    @Override
    public void on() throws LabException {
        request("on", null);
    }

    @Override
    public void off() throws LabException {
        request("off", null);
    }

    /** One {@code reboot} request: pdudaemon switches off, waits the off-time, and switches on. */
    @Override
    public void cycle(Duration offTime) throws LabException {
        long seconds = Math.max(1, (offTime.toMillis() + 999) / 1000);
        request("reboot", seconds);
    }

    /** Empty: pdudaemon does not tell. */
    @Override
    public Optional<State> state() {
        return Optional.empty();
    }

    private void request(String action, Long delaySeconds) throws LabException {
        String query = "hostname=" + URLEncoder.encode(pdu, StandardCharsets.UTF_8) + "&port=" + port
                + (delaySeconds != null ? "&delay=" + delaySeconds : "");
        URI uri = URI.create(url + "/power/control/" + action + "?" + query);
        HttpEndpoint.Answer answer;
        try {
            // some pdudaemon versions answer a reboot only after it is done
            answer = http.get(uri, Duration.ofSeconds(delaySeconds != null ? delaySeconds : 0));
        } catch (IOException e) {
            throw PowerFailure.of(board, this, HttpEndpoint.explain(e, timeout) + " (" + action + ")",
                    "is pdudaemon running and listening at " + url + "? systemctl status pdudaemon", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PowerFailure.of(board, this, "interrupted", null);
        }
        if (answer.status() == 500) {
            throw PowerFailure.of(board, this, "pdudaemon refused '" + action + "': "
                    + HttpEndpoint.quote(answer.body()),
                    "is there a PDU '" + pdu + "' in pdudaemon's configuration (/etc/pdudaemon/pdudaemon.conf)?");
        }
        if (answer.status() != 200) {
            throw PowerFailure.of(board, this, "HTTP " + answer.status() + " " + HttpEndpoint.quote(answer.body())
                    + " for '" + action + "'", "is " + url + " pdudaemon's HTTP listener?");
        }
    }

    @Override
    public String describe() {
        return "pdudaemon " + url + " " + pdu + " port " + port;
    }
}

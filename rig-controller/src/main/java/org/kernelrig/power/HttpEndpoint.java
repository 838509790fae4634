package org.kernelrig.power;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The HTTP side of a network power switch: one request at a time, with a time limit on everything. */
final class HttpEndpoint {

    /** An answer: status and body (bounded). */
    record Answer(int status, String body) {
    }

    private static final int MAX_BODY = 64 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    HttpEndpoint(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer get(URI uri, Duration extra) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout.plus(extra)).GET().build());
    }

    Answer postJson(URI uri, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = response.body();
        String text = new String(body, 0, Math.min(body.length, MAX_BODY), java.nio.charset.StandardCharsets.UTF_8);
        return new Answer(response.statusCode(), text);
    }

    /** What a failed request means for a person. */
    static String explain(IOException e, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot connect within " + timeout.toMillis() + " ms";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return "cannot reach it: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }

    /** Shortens a device's answer for a message. */
    static String quote(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return "'" + (line.length() > 200 ? line.substring(0, 200) + "..." : line) + "'";
    }
}

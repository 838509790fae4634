package org.kernelrig.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import org.kernelrig.LabException;
import org.kernelrig.config.ConfigProblem;
import org.kernelrig.config.InvalidConfigException;
import org.kernelrig.config.Location;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Sends a {@code kcidb.json} to a KCIDB submission service: one HTTP POST of
 * the file as it is, with a bearer token. A file that is not a KCIDB 5
 * document is refused before anything is sent; a refusal by the server or a
 * server out of reach is a lab error that quotes what the server said.
 */
public final class KcidbSubmission {

    /** Larger than any suite rig writes (each test is at most some 20 KB), small enough to hold in memory. */
    public static final long SIZE_LIMIT = 64L << 20;
    /** How much of the server's answer an error quotes. */
    static final int ANSWER_EXCERPT = 500;

    private final HttpClient client;
    private final Duration timeout;

    /** What the server accepted, and what the document held. */
    public record Receipt(int status, String answer, int tests, int issues, int incidents) {
    }

    public KcidbSubmission(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Reads and checks a KCIDB document: a JSON object whose {@code version.major} is 5.
     *
     * @param display the file's name for messages
     */
    public static Document read(Path file, String display) throws InvalidConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > SIZE_LIMIT) {
                throw problem(display, 0, 0, "is larger than " + (SIZE_LIMIT >> 20) + " MiB",
                        "submit the kcidb.json rig wrote; split a larger document by its tests");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) SIZE_LIMIT + 1);
            }
        } catch (NoSuchFileException e) {
            throw problem(display, 0, 0, "no such file", "give the kcidb.json of a run or a suite folder");
        } catch (IOException e) {
            throw problem(display, 0, 0, "cannot be read: " + e.getMessage(), null);
        }
        JsonNode root;
        try {
            root = JsonReport.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw problem(display, where == null ? 0 : where.getLineNr(), where == null ? 0 : where.getColumnNr(),
                    "is not valid JSON: " + e.getOriginalMessage(), "give the kcidb.json of a run or a suite folder");
        } catch (IOException e) {
            throw problem(display, 0, 0, "cannot be read: " + e.getMessage(), null);
        }
        if (root == null || !root.isObject() || !root.path("version").path("major").isInt()) {
            throw problem(display, 1, 1, "is not a KCIDB document: it has no version.major",
                    "give the kcidb.json of a run or a suite folder");
        }
        int major = root.path("version").path("major").asInt();
        if (major != 5) {
            throw problem(display, 1, 1, "is a KCIDB document of schema " + major + ", not 5",
                    "rig writes and sends schema 5 (5.3)");
        }
        return new Document(bytes, root.path("tests").size(), root.path("issues").size(),
                root.path("incidents").size());
    }

    /** A checked KCIDB document, ready to send. */
    public record Document(byte[] bytes, int tests, int issues, int incidents) {
    }

    /**
     * POSTs {@code document} to {@code url}.
     *
     * @throws LabException when the server cannot be reached or does not accept it (any status but 2xx)
     */
    public Receipt submit(Document document, URI url, String token) throws LabException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(document.bytes())).build();
        HttpResponse<InputStream> response;
        String answer;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                answer = excerpt(body.readNBytes(ANSWER_EXCERPT * 4));
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new LabException("cannot reach the KCIDB service at " + url + ": " + reason(e),
                    "check the URL, and that this host may reach it (proxy, firewall)", e);
        } catch (HttpTimeoutException e) {
            throw new LabException("the KCIDB service at " + url + " did not answer within " + timeout.toSeconds()
                    + " s", "try again later; the submission may or may not have been taken", e);
        } catch (IOException e) {
            throw new LabException("cannot reach the KCIDB service at " + url + ": " + reason(e),
                    "check the URL, and that this host may reach it (proxy, firewall)", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new LabException("the KCIDB service at " + url + " refused the submission: HTTP " + status
                    + (answer.isEmpty() ? "" : ": " + answer), hint(status));
        }
        return new Receipt(status, answer, document.tests(), document.issues(), document.incidents());
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> "check the token (the one KernelCI gave your lab for this origin)";
            case 400, 422 -> "the service found the document invalid; rig check cannot help here: please report it";
            case 404, 405 -> "check the URL: it must be the service's submission endpoint";
            case 413 -> "the document is too large for the service";
            default -> status >= 500 ? "the service failed; try again later" : null;
        };
    }

    private static String reason(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The start of a server's answer, on one line, without control characters: it is quoted in a terminal. */
    static String excerpt(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "?")
                .replaceAll("\\s+", " ").strip();
        return text.length() <= ANSWER_EXCERPT ? text : text.substring(0, ANSWER_EXCERPT) + " ...";
    }

    private static InvalidConfigException problem(String file, int line, int column, String message, String hint) {
        return new InvalidConfigException(new ConfigProblem(new Location(file, line, column), message, hint));
    }
}

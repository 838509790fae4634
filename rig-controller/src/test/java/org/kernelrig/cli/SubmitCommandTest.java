package org.kernelrig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * {@code rig submit kcidb} against a real HTTP server on loopback. The token
 * comes from the environment, so the runs that send are real rig processes
 * given that environment.
 */
class SubmitCommandTest {

    static final String DOCUMENT = "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"rig:20261124-1\", "
            + "\"build_id\": \"rig:kernel-1\", \"origin\": \"rig\", \"path\": \"rig.sysrq-panic\", \"status\": \"PASS\"}], "
            + "\"issues\": [], \"incidents\": []}\n";

    /** What the server received. */
    record Request(String method, String path, String authorization, String contentType, byte[] body) {
    }

    @TempDir
    Path dir;

    HttpServer server;
    final List<Request> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "{\"ok\": true}";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/submit", exchange -> {
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/submit";
    }

    Path document(String text) throws IOException {
        return Files.writeString(dir.resolve("kcidb.json"), text);
    }

    /** rig as its own process, with {@code environment} added to this one's. */
    static RigRunner.Result rig(Map<String, String> environment, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.kernelrig.cli.Main"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("rig-submit", ".out");
        Path err = Files.createTempFile("rig-submit", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(SubmitCommand.TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "rig ended");
            return new RigRunner.Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void postsTheFileAsItIsWithTheTokenAsABearerToken() throws Exception {
        Path file = document(DOCUMENT);

        RigRunner.Result rig = rig(Map.of("RIG_KCIDB_TOKEN", "s3cret-token\n"), "submit", "kcidb", file.toString(),
                "--url", url());

        assertEquals(0, rig.exitCode(), rig.out() + rig.err());
        assertTrue(rig.out().contains("submitted " + file + " to " + url() + ": HTTP 200 (1 test(s), 0 issue(s), "
                + "0 incident(s))"), rig.out());
        assertEquals(1, received.size());
        Request request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals("/submit", request.path());
        assertEquals("Bearer s3cret-token", request.authorization());
        assertEquals("application/json", request.contentType());
        assertArrayEquals(Files.readAllBytes(file), request.body());
    }

    @Test
    void aRefusalSaysTheStatusAndTheStartOfWhatTheServerSaid() throws Exception {
        status = 401;
        answer = "invalid token \u001b[31mfor origin rig\n" + "x".repeat(10_000);

        RigRunner.Result rig = rig(Map.of("RIG_KCIDB_TOKEN", "wrong"), "submit", "kcidb", document(DOCUMENT).toString(),
                "--url", url());

        assertEquals(ExitCodes.LAB_ERROR, rig.exitCode(), rig.out() + rig.err());
        assertTrue(rig.err().contains("rig: error: the KCIDB service at " + url() + " refused the submission: HTTP 401: "
                + "invalid token ?[31mfor origin rig x"), rig.err());
        assertTrue(rig.err().contains("check the token"), rig.err());
        assertTrue(rig.err().length() < 1000, "the answer is quoted, not copied: " + rig.err().length());
        assertFalse(rig.err().contains("\u001b"), "no terminal escape from the server");
        assertFalse(rig.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void aServiceOutOfReachIsALabError() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        RigRunner.Result rig = rig(Map.of("RIG_KCIDB_TOKEN", "t"), "submit", "kcidb", document(DOCUMENT).toString(),
                "--url", "http://127.0.0.1:" + closed + "/submit");

        assertEquals(ExitCodes.LAB_ERROR, rig.exitCode(), rig.out() + rig.err());
        assertTrue(rig.err().contains("rig: error: cannot reach the KCIDB service at http://127.0.0.1:" + closed
                + "/submit"), rig.err());
        assertTrue(rig.err().contains("check the URL"), rig.err());
        assertFalse(rig.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void aTokenThatWouldAddHeadersIsRefused() throws Exception {
        RigRunner.Result rig = rig(Map.of("RIG_KCIDB_TOKEN", "t\r\nX-Injected: 1"), "submit", "kcidb",
                document(DOCUMENT).toString(), "--url", url());

        assertEquals(ExitCodes.INVALID, rig.exitCode(), rig.out() + rig.err());
        assertTrue(rig.err().contains("the token in RIG_KCIDB_TOKEN holds control characters"), rig.err());
        assertEquals(List.of(), received, "nothing was sent");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        String unset = "RIG_TEST_TOKEN_NOBODY_SETS";
        Path notJson = Files.writeString(dir.resolve("not.json"), "{\"version\": {\"major\": 5,\n  oops}");
        Path oldSchema = Files.writeString(dir.resolve("old.json"), "{\"version\": {\"major\": 4, \"minor\": 3}}");
        Path report = Files.writeString(dir.resolve("report.json"), "{\"schema\": \"rig-run-report/1\"}");
        Map<String[], String> cases = Map.of(
                new String[] {"submit", "kcidb", notJson.toString(), "--url", url()}, notJson + ":2:3: is not valid JSON",
                new String[] {"submit", "kcidb", oldSchema.toString(), "--url", url()},
                oldSchema + ":1:1: is a KCIDB document of schema 4, not 5",
                new String[] {"submit", "kcidb", report.toString(), "--url", url()},
                report + ":1:1: is not a KCIDB document",
                new String[] {"submit", "kcidb", dir.resolve("missing.json").toString(), "--url", url()},
                dir.resolve("missing.json") + ": no such file",
                new String[] {"submit", "kcidb", document(DOCUMENT).toString(), "--url", "ftp://127.0.0.1/submit"},
                "--url must be an http:// or https:// URL, got 'ftp://127.0.0.1/submit'",
                new String[] {"submit", "kcidb", document(DOCUMENT).toString(), "--url", url(), "--token-env", unset},
                "no token: the environment variable " + unset + " is not set; export " + unset + "=TOKEN",
                new String[] {"submit", "kcidb", document(DOCUMENT).toString()}, "Missing required option: '--url=URL'");
        for (Map.Entry<String[], String> bad : cases.entrySet()) {
            RigRunner.Result rig = RigRunner.run(bad.getKey());
            assertEquals(ExitCodes.INVALID, rig.exitCode(), String.join(" ", bad.getKey()) + "\n" + rig.err());
            assertTrue(rig.err().contains(bad.getValue()), bad.getValue() + "\n" + rig.err());
            assertFalse(rig.err().contains("\tat "), "no stack trace without --verbose");
        }
        assertEquals(List.of(), received, "nothing was sent");
    }

    @Test
    void helpNamesTheTokenVariable() {
        RigRunner.Result rig = RigRunner.run("submit", "kcidb", "--help");
        assertEquals(0, rig.exitCode());
        assertTrue(rig.out().contains("RIG_KCIDB_TOKEN"), rig.out());
    }
}

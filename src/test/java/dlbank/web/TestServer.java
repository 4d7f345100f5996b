package dlbank.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlbank.TestSupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link WebServer} on a free loopback port for tests, with runs/ and the dlbank home in a test
 * folder and the fixture data sets; HTTP helpers around it, including a raw socket for requests that
 * a client library would clean up (dot segments, a foreign Host header).
 */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(Path dir, WebServer server) {
        this.dir = dir;
        this.server = server;
    }

    static TestServer start(Path dir, String language) {
        TestSupport.configureEngine();
        System.setProperty("dlbank.runs", dir.resolve("runs").toString());
        System.setProperty("dlbank.home", dir.resolve("home").toString());
        WebServer server = WebServer.start(new WebServer.Settings("127.0.0.1", 0, language, TestSupport.fixtureHome(),
                quizFile(dir)));
        return new TestServer(dir, server);
    }

    static Path quizFile(Path dir) {
        return dir.resolve("home").resolve("quiz.json");
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    String origin() {
        return base();
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), headers);
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A POST as the page's own scripts send it: with this server's origin. */
    HttpResponse<String> postJson(String path, String json) {
        return post(path, "application/json", HttpRequest.BodyPublishers.ofString(json), "Origin", origin());
    }

    HttpResponse<String> postForm(String path, String form) {
        return post(path, "application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofString(form),
                "Origin", origin());
    }

    HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).POST(body)
                .header("Content-Type", contentType);
        return send(request, headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request written by hand; returns the status code and the body. */
    RawResponse raw(String method, String target, String host) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new RawResponse(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawResponse raw(String target) {
        return raw("GET", target, "127.0.0.1:" + server.port());
    }

    record RawResponse(int status, String body) {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), Map.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The current job's events as the page reads them, until the job's final state. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> followEvents() {
        List<Map<String, Object>> events = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/runs/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("events: " + response.statusCode());
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        Map<String, Object> data = JSON.readValue(line.substring(6), Map.class);
                        events.add(Map.of("event", name, "data", data));
                        if ("state".equals(name)) {
                            break;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    @Override
    public void close() {
        server.close();
        System.clearProperty("dlbank.runs");
        System.clearProperty("dlbank.home");
    }
}

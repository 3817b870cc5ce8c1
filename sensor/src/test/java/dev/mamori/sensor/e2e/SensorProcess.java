package dev.mamori.sensor.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar run as a separate JVM, as an operator would run it, with its stderr collected. */
final class SensorProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening: (\\S+) (\\S+) on (\\S+):(\\d+)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Process process;
    private int http = -1;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private SensorProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String l = r.readLine(); l != null; l = r.readLine()) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        lines.add("[reader] " + e);
                    }
                },
                "stderr-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        return Path.of(System.getProperty("mamori.jar", "target/mamori.jar"));
    }

    static SensorProcess start(Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return new SensorProcess(pb.start());
    }

    /** Waits for the log line announcing {@code name} and returns its port. */
    int awaitListening(String name, long seconds) throws InterruptedException {
        return awaitListening(name, null, seconds);
    }

    /** Waits for the line announcing {@code name} over {@code transport} (any, if null); returns its port. */
    int awaitListening(String name, String transport, long seconds) throws InterruptedException {
        for (String l : seen) {
            Matcher m = LISTENING.matcher(l);
            if (m.find()
                    && m.group(1).equals(name)
                    && (transport == null || m.group(2).equals(transport))) {
                return Integer.parseInt(m.group(4));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l == null) {
                if (!process.isAlive()) {
                    break;
                }
                continue;
            }
            seen.add(l);
            Matcher m = LISTENING.matcher(l);
            if (m.find()
                    && m.group(1).equals(name)
                    && (transport == null || m.group(2).equals(transport))) {
                int port = Integer.parseInt(m.group(4));
                if (name.equals("http")) {
                    http = port;
                }
                return port;
            }
        }
        throw new AssertionError("no 'listening: " + name + "' line; stderr so far:\n" + String.join("\n", drain()));
    }

    /** GET on the sensor's HTTP endpoint (after {@code awaitListening("http")}). */
    String get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Polls {@code /api/alerts} until {@code done} holds or 30 s pass; returns the last answer. */
    List<JsonNode> alerts(Predicate<List<JsonNode>> done) throws Exception {
        return alerts(done, 30);
    }

    /** Polls {@code /api/alerts} until {@code done} holds or {@code seconds} pass; returns the last answer. */
    List<JsonNode> alerts(Predicate<List<JsonNode>> done, long seconds) throws Exception {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            got = new ArrayList<>();
            for (String l : get("/api/alerts?limit=1000").lines().toList()) {
                got.add(JSON.readTree(l));
            }
            if (done.test(got)) {
                break;
            }
            Thread.sleep(100);
        }
        return got;
    }

    /**
     * Waits until {@code /metrics} holds every one of {@code lines} (e.g. a counter at its final
     * value); returns the scrape. Fails after 30 s.
     */
    String awaitMetrics(String... lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String scrape = "";
        while (System.nanoTime() < deadline) {
            scrape = get("/metrics");
            String s = scrape;
            if (Arrays.stream(lines).allMatch(s::contains)) {
                return scrape;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("metrics never reached " + String.join(", ", lines) + ":\n" + scrape);
    }

    /** The value of one series on {@code /metrics} (e.g. {@code name{label="x"}}); 0 when absent. */
    double metric(String series) throws IOException, InterruptedException {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(get("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Every stderr line so far. */
    List<String> drain() {
        lines.drainTo(seen);
        return List.copyOf(seen);
    }

    /**
     * Sends SIGTERM as a service manager would. {@link Process#destroy()} would too, but it also
     * closes our end of the process's stderr, losing the shutdown log lines.
     */
    void sigterm() throws IOException, InterruptedException {
        signal("TERM");
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    /** Waits for a stderr line containing {@code text}. */
    boolean awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (seen.stream().anyMatch(l -> l.contains(text))) {
            return true;
        }
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (l.contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within " + seconds + " s");
        }
        Thread.sleep(200); // let the reader thread take the last lines
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ICAP REQMOD load client for side-by-side runs (bench/compare-icap): CONCURRENCY keep-alive
 * connections, each sending Squid-shaped requests back to back (closed loop) for SECONDS, after
 * WARMUP seconds that are not counted. Modes: {@code get} (GET, null-body, Preview: 0),
 * {@code post} (POST with a 2 KiB body, the first 1 KiB as preview; 100 Continue is answered with
 * the rest), {@code connect} (CONNECT to port 25: Mamori alerts on every one). A reply with a body
 * (an echo service's 200) is read to its end. Reconnects when the server closes a connection.
 * Prints one line: requests/s, p50/p99/p99.9 latency in ms, errors, reconnects. With RATE (requests
 * per second over all connections) the load is paced instead of closed-loop (the soak test).
 *
 * <p>Usage: {@code java bench/IcapLoad.java HOST PORT SERVICE MODE CONCURRENCY SECONDS [WARMUP [RATE]]}
 */
public final class IcapLoad {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String service = args[2];
        String mode = args[3];
        int concurrency = Integer.parseInt(args[4]);
        double seconds = Double.parseDouble(args[5]);
        double warmup = args.length > 6 ? Double.parseDouble(args[6]) : 0;
        double rate = args.length > 7 ? Double.parseDouble(args[7]) : 0;
        long interval = rate > 0 ? (long) (1e9 * concurrency / rate) : 0;
        byte[][] request = request(host, port, service, mode);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        AtomicLong reconnects = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long[] lat = new long[20_000_000 / concurrency];
            int[] n = new int[1];
            samples.add(lat);
            Thread t = new Thread(() -> {
                Socket s = null;
                InputStream in = null;
                int count = 0;
                try {
                    long next = System.nanoTime();
                    while (System.nanoTime() < end) {
                        if (interval > 0) {
                            next += interval;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        if (s == null) {
                            s = open(host, port);
                            in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                            reconnects.incrementAndGet();
                        }
                        long t0 = System.nanoTime();
                        try {
                            exchange(in, s.getOutputStream(), request);
                        } catch (IOException e) {
                            s.close();
                            s = null;
                            if (!(e instanceof Closed)) {
                                errors.incrementAndGet();
                            }
                            continue;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && t1 <= end && count < lat.length) {
                            lat[count++] = t1 - t0;
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lat[lat.length - 1] = count; // the count rides in the last slot
                    try {
                        if (s != null) {
                            s.close();
                        }
                    } catch (IOException ignored) {
                        // done anyway
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        for (long[] l : samples) {
            total += (int) l[l.length - 1];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] l : samples) {
            int c = (int) l[l.length - 1];
            System.arraycopy(l, 0, all, k, c);
            k += c;
        }
        Arrays.sort(all);
        System.out.printf(
                "%s c=%d: %.0f req/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, errors %d, connections %d%n",
                mode,
                concurrency,
                total / seconds,
                pct(all, 0.50),
                pct(all, 0.99),
                pct(all, 0.999),
                errors.get(),
                reconnects.get());
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** The server closed the connection between requests (keep-alive limit): not an error. */
    static final class Closed extends IOException {
        Closed() {
            super("closed");
        }
    }

    private static Socket open(String host, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The request in parts: what goes first, and what follows a 100 Continue (null if nothing). */
    static byte[][] request(String host, int port, String service, String mode) {
        String icap = "REQMOD icap://" + host + ":" + port + "/" + service + " ICAP/1.0\r\nHost: " + host + ":" + port
                + "\r\nAllow: 204\r\nX-Client-IP: 10.1.2.3\r\n";
        switch (mode) {
            case "get", "connect" -> {
                String http = mode.equals("get")
                        ? "GET http://origin.test/hello?x=1 HTTP/1.1\r\nHost: origin.test\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
                                + "Accept: */*\r\n\r\n"
                        : "CONNECT mail.example.test:25 HTTP/1.1\r\nHost: mail.example.test:25\r\n"
                                + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n\r\n";
                String head = icap + "Encapsulated: req-hdr=0, null-body=" + http.length() + "\r\nPreview: 0\r\n\r\n";
                return new byte[][] {(head + http).getBytes(StandardCharsets.US_ASCII), null};
            }
            case "post" -> {
                String body = "x".repeat(2048);
                String http = "POST http://upload.test/form HTTP/1.1\r\nHost: upload.test\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 2048\r\n\r\n";
                String head = icap + "Encapsulated: req-hdr=0, req-body=" + http.length() + "\r\nPreview: 1024\r\n\r\n";
                String preview = "400\r\n" + body.substring(0, 1024) + "\r\n0\r\n\r\n";
                String rest = "400\r\n" + body.substring(1024) + "\r\n0\r\n\r\n";
                return new byte[][] {
                    (head + http + preview).getBytes(StandardCharsets.US_ASCII),
                    rest.getBytes(StandardCharsets.US_ASCII)
                };
            }
            default -> throw new IllegalArgumentException("mode: get | post | connect");
        }
    }

    private static void exchange(InputStream in, OutputStream out, byte[][] request) throws IOException {
        out.write(request[0]);
        out.flush();
        String head = head(in);
        if (head.startsWith("ICAP/1.0 100")) {
            out.write(request[1]);
            out.flush();
            head = head(in);
        }
        if (!head.startsWith("ICAP/1.0 2")) {
            throw new IOException("unexpected answer: " + head.lines().findFirst().orElse(""));
        }
        String enc = head.lines()
                .filter(l -> l.regionMatches(true, 0, "Encapsulated:", 0, 13))
                .findFirst()
                .orElse("");
        if (enc.isEmpty() || enc.contains("null-body")) {
            int hdr = offsetOf(enc);
            if (hdr > 0) {
                in.readNBytes(hdr); // encapsulated headers without a body
            }
            return;
        }
        // the encapsulated headers up to the body offset, then the chunked body to its last chunk
        in.readNBytes(offsetOf(enc));
        while (true) {
            String size = line(in);
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                line(in);
                return;
            }
            in.readNBytes(n);
            line(in);
        }
    }

    /** The offset of the body (or of null-body): where the encapsulated headers end. */
    private static int offsetOf(String enc) {
        for (String part : enc.substring(enc.indexOf(':') + 1).split(",")) {
            String p = part.trim();
            if (p.startsWith("req-body=") || p.startsWith("res-body=") || p.startsWith("null-body=")) {
                return Integer.parseInt(p.substring(p.indexOf('=') + 1));
            }
        }
        return 0;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    throw new Closed();
                }
                throw new IOException("connection closed mid-answer");
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-body");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}

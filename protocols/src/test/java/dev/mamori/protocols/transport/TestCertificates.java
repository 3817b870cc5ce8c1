package dev.mamori.protocols.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/** Self-signed certificates for TLS tests, made with openssl as an operator would. */
public final class TestCertificates {
    private TestCertificates() {}

    /**
     * openssl from PATH. Missing, the test skips saying how to install it, or fails under
     * {@code MAMORI_REQUIRE_PEERS=1} (as {@code .ci/run} sets), so CI never skips TLS tests quietly.
     */
    public static Path openssl() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "openssl");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = "openssl not found on PATH: install it with 'apt-get install openssl' (.ci/run does) to run"
                + " the TLS tests";
        if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }

    /** Makes a self-signed certificate for localhost and 127.0.0.1, or skips when openssl is missing. */
    public static void selfSigned(Path dir, Path cert, Path key) throws Exception {
        Process p = new ProcessBuilder(
                        openssl().toString(),
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl did not finish in 60 s");
        }
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** A client context that trusts exactly {@code cert}. */
    public static SSLContext trusting(Path cert) throws Exception {
        X509Certificate c;
        try (var in = Files.newInputStream(cert)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("test", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}

package dev.mamori.protocols.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Server-side TLS contexts from PEM files, as operators have them (certificate chain, key, CA). */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * @param clientCa when not null, clients must present a certificate signed by this CA
     * @throws IllegalArgumentException naming the file that could not be used
     */
    public static SslContext server(Path certificateChain, Path privateKey, Path clientCa) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(file(certificateChain), file(privateKey))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (clientCa != null) {
                b.trustManager(file(clientCa)).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use certificate " + certificateChain + " / key " + privateKey
                            + (clientCa == null ? "" : " / client CA " + clientCa) + ": " + rootMessage(e),
                    e);
        }
    }

    /**
     * A server context with an explicit client-certificate policy (the HTTP endpoint's web config).
     *
     * @param clientAuth NONE, OPTIONAL (verify a certificate if one is given) or REQUIRE
     * @param clientCa the CA client certificates must chain to; null accepts any certificate (the
     *     exporter-toolkit's RequestClientCert and RequireAnyClientCert)
     * @param tls13Only refuse TLS 1.2
     */
    public static SslContext server(
            Path certificateChain, Path privateKey, ClientAuth clientAuth, Path clientCa, boolean tls13Only) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(file(certificateChain), file(privateKey))
                    .protocols(tls13Only ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"})
                    .clientAuth(clientAuth);
            if (clientAuth != ClientAuth.NONE) {
                if (clientCa != null) {
                    b.trustManager(file(clientCa));
                } else {
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use certificate " + certificateChain + " / key " + privateKey
                            + (clientCa == null ? "" : " / client CA " + clientCa) + ": " + rootMessage(e),
                    e);
        }
    }

    /**
     * A client socket factory for TLS connections out (alert forwarding): trusting {@code ca} (PEM)
     * when given, the JDK's default trust store otherwise.
     */
    public static SSLSocketFactory clientSocketFactory(Path ca) throws IOException, GeneralSecurityException {
        if (ca == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + n++, c);
            }
            if (n == 0) {
                throw new CertificateException("no certificate in " + ca);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static File file(Path p) {
        return p.toFile();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}

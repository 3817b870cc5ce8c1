package dev.mamori.protocols.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Server-side TLS contexts from PEM files, as operators have them (certificate chain, key, CA). */
public final class TlsContexts {
    private TlsContexts() {
    }

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
            throw new IllegalArgumentException("cannot use certificate " + certificateChain + " / key " + privateKey
                    + (clientCa == null ? "" : " / client CA " + clientCa) + ": " + rootMessage(e), e);
        }
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

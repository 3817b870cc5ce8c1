package dev.mamori.protocols.smtp;

import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.ClientGate;
import dev.mamori.protocols.transport.ConnectionLimit;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.Listener;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.protocols.transport.TcpListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SMTP relay hook's listener. Sessions and their next-hop connections run on the event loops
 * without blocking; only the inspection of each message ({@link SmtpService#inspect}, MIME parsing
 * and the mail rules) runs on a bounded pool of worker threads.
 */
public final class SmtpServer implements Listener {

    /**
     * Listener and relay settings; {@code tls}, when not null, is offered as STARTTLS;
     * {@code maxBufferedBytes} bounds the message bytes all sessions hold together.
     */
    public record Settings(
            String bind,
            int port,
            int maxConnections,
            Duration idleTimeout,
            int workers,
            SmtpSession.Settings session,
            SslContext tls,
            long maxBufferedBytes,
            ClientGate clients) {

        /** Settings open to anyone. */
        public Settings(
                String bind,
                int port,
                int maxConnections,
                Duration idleTimeout,
                int workers,
                SmtpSession.Settings session,
                SslContext tls,
                long maxBufferedBytes) {
            this(
                    bind,
                    port,
                    maxConnections,
                    idleTimeout,
                    workers,
                    session,
                    tls,
                    maxBufferedBytes,
                    ClientGate.anyone("smtp"));
        }
    }

    /** RFC 5321 3.1: a server that will not serve a client may greet it with 554 and close. */
    static final String REFUSED = "554 5.7.1 Access denied: this client may not use the relay hook\r\n";

    private final TcpListener listener;
    private final ExecutorService workers;
    private final Set<SmtpSession> sessions;
    private final MessageBudget budget;
    private final NextHopPool pool;

    private SmtpServer(
            TcpListener listener,
            ExecutorService workers,
            Set<SmtpSession> sessions,
            MessageBudget budget,
            NextHopPool pool) {
        this.listener = listener;
        this.workers = workers;
        this.sessions = sessions;
        this.budget = budget;
        this.pool = pool;
    }

    /** Next-hop connections waiting in the pool for the next session. */
    public int idleNextHopConnections() {
        return pool.idleConnections();
    }

    /** Message bytes held right now by all sessions (received, being inspected or relayed). */
    public long bufferedBytes() {
        return budget.used();
    }

    public static SmtpServer start(Settings s, EventLoops loops, SmtpService service) throws ListenerException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = new ThreadPoolExecutor(
                s.workers(), s.workers(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "mamori-smtp-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ConnectionLimit connections = new ConnectionLimit("smtp", s.maxConnections());
        Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
        MessageBudget budget = new MessageBudget(s.maxBufferedBytes());
        // idle next-hop connections: as many as can be busy at once; fresh well within Postfix's
        // 300 s smtpd timeout, like Postfix's own 2 s connection cache
        NextHopPool pool = new NextHopPool(
                new NextHop.Target(
                        s.session().nextHopHost(),
                        s.session().nextHopPort(),
                        s.session().upstreamTimeout(),
                        s.session().hostname()),
                loops.socketChannelType(),
                Math.max(s.maxConnections(), 1),
                Duration.ofSeconds(5));
        ChannelHandler init = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!s.clients().admit(ch, REFUSED)) {
                    return;
                }
                if (!connections.admit(
                        ch, "421 4.7.0 Too many connections\r\n", () -> service.refused("too_many_connections"))) {
                    return;
                }
                SmtpRequestDecoder decoder = new SmtpRequestDecoder(s.session().maxMessageSize(), budget);
                SmtpSession session = new SmtpSession(s.session(), service, decoder, workers, s.tls(), budget, pool);
                sessions.add(session);
                ch.closeFuture().addListener(f -> sessions.remove(session));
                ch.pipeline()
                        .addLast(new IdleStateHandler(s.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                        .addLast(decoder)
                        .addLast(session);
            }
        };
        try {
            return new SmtpServer(
                    TcpListener.bind("smtp", "tcp", new InetSocketAddress(s.bind(), s.port()), loops, init),
                    workers,
                    sessions,
                    budget,
                    pool);
        } catch (ListenerException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    public BoundListener bound() {
        return listener.bound();
    }

    @Override
    public List<BoundListener> bindings() {
        return List.of(bound());
    }

    @Override
    public void stopAccepting() {
        listener.stopAccepting();
    }

    /**
     * Lets every session finish what it is relaying and end with 421 (RFC 5321 section 3.8); after
     * {@code timeout}, closes what is left. A message not yet answered 250 stays with its sender.
     */
    @Override
    public void closeConnections(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        sessions.forEach(SmtpSession::shutdown);
        try {
            while (listener.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            workers.shutdown();
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.closeConnections(Duration.ofSeconds(1));
        workers.shutdownNow();
        pool.close();
    }
}

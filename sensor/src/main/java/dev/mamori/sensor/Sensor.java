package dev.mamori.sensor;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.protocols.transport.BoundListener;
import dev.mamori.protocols.transport.EventLoops;
import dev.mamori.protocols.transport.ListenerException;
import dev.mamori.sensor.alert.AlertPipeline;
import dev.mamori.sensor.alert.AlertRing;
import dev.mamori.sensor.alert.JsonLinesFileOutput;
import dev.mamori.sensor.alert.QueuedOutput;
import dev.mamori.sensor.config.MamoriConfig;
import dev.mamori.sensor.http.HttpEndpoint;
import dev.mamori.sensor.http.SensorApi;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running appliance. {@link #start} brings up outputs, then the HTTP endpoint (so {@code /health}
 * can say "starting"), then the inputs; {@link #stop} takes them down in the opposite order: inputs
 * stop accepting, in-flight work drains, outputs flush and fsync, and the endpoint goes last.
 */
public final class Sensor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sensor.class);

    private final MamoriConfig config;
    private final SensorMetrics metrics;
    private final AlertPipeline pipeline;
    private final AlertFactory alertFactory;
    private final ListenerRegistry listeners = new ListenerRegistry();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private EventLoops loops;
    private HttpEndpoint http;

    private Sensor(MamoriConfig config, SensorMetrics metrics, AlertPipeline pipeline) {
        this.config = config;
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.alertFactory = new AlertFactory(MessageCatalog.load(config.site().language()), Clock.systemUTC());
    }

    /**
     * Starts everything the configuration asks for.
     *
     * @throws ListenerException when a listener cannot bind (everything started so far is stopped)
     * @throws IOException when the alert file cannot be opened
     */
    public static Sensor start(MamoriConfig config) throws ListenerException, IOException {
        String version = Version.get();
        SensorMetrics metrics = new SensorMetrics(version);
        List<QueuedOutput> outputs = new ArrayList<>();
        MamoriConfig.FileOutput file = config.outputs().file();
        if (file != null) {
            JsonLinesFileOutput out;
            try {
                out = new JsonLinesFileOutput(file.path(), file.maxSize(), file.maxFiles());
            } catch (IOException e) {
                metrics.close();
                throw new IOException("outputs.file.path: cannot open " + file.path() + ": " + e, e);
            }
            outputs.add(new QueuedOutput(out, file.queue(), metrics));
            log.info("alerts: writing JSON lines to {} (rotated at {} bytes, {} files kept)", out.path(),
                    file.maxSize(), file.maxFiles());
        }
        warnNotYetAvailable(config);
        AlertPipeline pipeline = new AlertPipeline(outputs, new AlertRing(config.inputs().http().recentAlerts()),
                metrics);
        Sensor sensor = new Sensor(config, metrics, pipeline);
        try {
            sensor.startListeners();
        } catch (ListenerException | RuntimeException e) {
            sensor.stop();
            throw e;
        }
        return sensor;
    }

    private void startListeners() throws ListenerException {
        loops = new EventLoops(Math.max(1, Runtime.getRuntime().availableProcessors()));
        listeners.expect(1);
        MamoriConfig.HttpInput h = config.inputs().http();
        SensorApi api = new SensorApi(metrics, listeners, pipeline.recent(), Version.get());
        http = HttpEndpoint.bind(new InetSocketAddress(h.bind(), h.port()), loops, api.router());
        announce(http.listener().bound());
        listeners.up();
        log.info("Mamori {} up with {} ({} transport)", Version.get(), config.source(),
                loops.isNative() ? "epoll" : "nio");
    }

    private void announce(BoundListener b) {
        listeners.bound(b);
        log.info("listening: {} {} on {}:{}", b.name(), b.transport(), b.host(), b.port());
    }

    /** Inputs and outputs that the configuration may name but that this build does not serve yet. */
    private static void warnNotYetAvailable(MamoriConfig config) {
        MamoriConfig.Inputs in = config.inputs();
        if (in.syslog().enabled()) {
            log.warn("inputs.syslog: configured, but this build has no syslog listener yet; not started");
        }
        if (in.smtp().enabled()) {
            log.warn("inputs.smtp: configured, but this build has no SMTP relay yet; not started");
        }
        if (in.icap().enabled()) {
            log.warn("inputs.icap: configured, but this build has no ICAP service yet; not started");
        }
        if (config.outputs().syslog() != null) {
            log.warn("outputs.syslog: configured, but this build cannot forward alerts over syslog yet;"
                    + " alerts go to the file output");
        }
        if (config.outputs().webhook() != null) {
            log.warn("outputs.webhook: configured, but this build cannot post alerts to a webhook yet;"
                    + " alerts go to the file output");
        }
    }

    public MamoriConfig config() {
        return config;
    }

    public SensorMetrics metrics() {
        return metrics;
    }

    /** Where detections and tests emit alerts. */
    public AlertPipeline alerts() {
        return pipeline;
    }

    public AlertFactory alertFactory() {
        return alertFactory;
    }

    public ListenerRegistry listeners() {
        return listeners;
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int httpPort() {
        return http.listener().bound().port();
    }

    /** Stops in order and waits for outputs to be durable; safe to call more than once. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        log.info("stopping: draining in-flight work and flushing outputs");
        listeners.stopping();
        pipeline.close(config.sensor().shutdownTimeout());
        if (http != null) {
            http.close();
        }
        if (loops != null) {
            loops.shutdown(config.sensor().shutdownTimeout());
        }
        metrics.close();
        log.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }
}

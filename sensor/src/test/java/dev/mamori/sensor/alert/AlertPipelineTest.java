package dev.mamori.sensor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.sensor.TestAlerts;
import dev.mamori.sensor.incident.IncidentBook;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AlertPipelineTest {

    private static final MessageCatalog EN = MessageCatalog.load(Language.EN);

    /** Keeps what reaches it, in order. */
    static final class Recording implements AlertOutput {
        final List<Alert> written = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void write(Alert alert) {
            written.add(alert);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /**
     * Two threads deliver alerts about one host at once (an event loop and the ticker's burst
     * counts): the outputs get them in the order the incident book assigned them, so the alert that
     * names the incident never comes first. The first delivery is held inside the pipeline while the
     * second is attempted.
     */
    @Test
    void alertsReachTheOutputsInTheOrderTheIncidentBookSawThem() throws Exception {
        try (SensorMetrics metrics = new SensorMetrics("test")) {
            Recording out = new Recording();
            QueuedOutput queued = new QueuedOutput(out, 100, metrics);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AlertPipeline pipeline = new AlertPipeline(
                    List.of(queued),
                    new AlertRing(10),
                    metrics,
                    new AlertGate(List.of(), Duration.ZERO, 1),
                    new IncidentBook(Duration.ofHours(24), 100, EN),
                    a -> {
                        if (a.ruleId().equals("fw.connect_back")) {
                            inside.countDown();
                            try {
                                release.await(5, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
            Instant now = Instant.now();
            Thread firewall = new Thread(() -> pipeline.emit(TestAlerts.connectBack("10.1.2.3", now)));
            firewall.start();
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            Alert c2 = new AlertFactory(EN, Clock.systemUTC())
                    .alert(new Rule("proxy.c2_access", Severity.HIGH, null), ObserverInput.ICAP)
                    .at(now)
                    .field(AlertField.SOURCE_IP, "10.1.2.3")
                    .args("10.1.2.3", "c2.example.net", "")
                    .build();
            Thread proxy = new Thread(() -> pipeline.emit(c2));
            proxy.start();
            proxy.join(300); // if deliveries were not kept in order, the proxy alert would be queued by now
            release.countDown();
            firewall.join();
            proxy.join();
            assertThat(queued.awaitWritten(Duration.ofSeconds(5))).isTrue();
            assertThat(out.written).extracting(Alert::ruleId).containsExactly("fw.connect_back", "proxy.c2_access");
            assertThat(out.written.get(0).message()).doesNotContain("[incident");
            assertThat(out.written.get(1).message())
                    .contains("[incident " + out.written.get(0).field(AlertField.INCIDENT_ID));
            queued.close(Duration.ofSeconds(5));
        }
    }
}

package dev.mamori.detectors.proxy;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import java.time.Clock;

/** The fields every proxy alert carries. */
final class ProxyAlerts {
    private ProxyAlerts() {}

    /** Requests seen inline are reported as {@code icap} whatever input the detection was built for. */
    static AlertFactory.Builder start(AlertFactory alerts, Rule rule, ObserverInput input, ProxyEvent e, Clock clock) {
        AlertFactory.Builder b = alerts.alert(rule, "icap".equals(e.source()) ? ObserverInput.ICAP : input)
                .at(e.time() != null ? e.time() : clock.instant())
                .field(AlertField.SOURCE_IP, e.client())
                .field(AlertField.URL_FULL, e.url())
                .field(AlertField.HTTP_REQUEST_METHOD, e.method())
                .field(AlertField.DESTINATION_DOMAIN, e.host())
                .field(AlertField.USER_AGENT_ORIGINAL, e.userAgent())
                .field(AlertField.EVENT_ORIGINAL, e.original());
        if (e.port() >= 0) {
            b.field(AlertField.DESTINATION_PORT, e.port());
        }
        return b;
    }
}

package dev.mamori.sensor;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import java.time.Clock;
import java.time.Instant;

/** Alerts for tests, built through the real factory and catalog. */
public final class TestAlerts {

    public static final Rule CONNECT_BACK = new Rule("fw.connect_back", Severity.HIGH, "T1071");
    public static final Rule LOG_CLEARED = new Rule("ad.log_cleared", Severity.HIGH, "T1070.001");

    private static final AlertFactory EN = new AlertFactory(MessageCatalog.load(Language.EN), Clock.systemUTC());

    private TestAlerts() {}

    public static Alert connectBack(String source, Instant at) {
        return EN.alert(CONNECT_BACK, ObserverInput.SYSLOG)
                .at(at)
                .field(AlertField.SOURCE_IP, source)
                .field(AlertField.DESTINATION_IP, "198.51.100.7")
                .field(AlertField.DESTINATION_PORT, 443)
                .args(source, "198.51.100.7", 443, 1)
                .build();
    }

    public static Alert logCleared(String host, Severity severity, Instant at) {
        return EN.alert(LOG_CLEARED, ObserverInput.FILE)
                .at(at)
                .severity(severity)
                .field(AlertField.HOST_NAME, host)
                .field(AlertField.WINLOG_EVENT_ID, 1102)
                .args("Security", host, "CORP\\mallory")
                .build();
    }
}

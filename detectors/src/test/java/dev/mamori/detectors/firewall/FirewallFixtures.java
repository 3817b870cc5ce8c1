package dev.mamori.detectors.firewall;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Shared site, factory and event builders for the firewall detection tests. */
final class FirewallFixtures {

    static final Instant T0 = Instant.parse("2026-11-28T01:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final SiteProfile SITE = new SiteProfile(
            IpSet.of(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")),
            Set.of("untrust", "outside", "wan"),
            ZoneId.of("Asia/Tokyo"),
            BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
            List.of(),
            Set.of("administrator"),
            Language.EN);
    static final AlertFactory ALERTS = new AlertFactory(MessageCatalog.load(Language.EN), CLOCK);

    private FirewallFixtures() {}

    static FirewallEvent event(FirewallAction action, String src, String dst, int dport, Instant at) {
        return new FirewallEvent(
                at,
                "fw1",
                "test",
                action,
                "tcp",
                src,
                50000,
                dst,
                dport,
                null,
                null,
                -1,
                "test line " + src + " -> " + dst + ":" + dport);
    }

    static FirewallEvent zoned(
            FirewallAction action, String src, String srcZone, String dst, String dstZone, int dport) {
        return new FirewallEvent(T0, "fw1", "test", action, "tcp", src, 50000, dst, dport, srcZone, dstZone, -1, "z");
    }

    /** Collects alerts. */
    static final class Sink implements AlertSink {
        final List<Alert> alerts = new ArrayList<>();

        @Override
        public void emit(Alert alert) {
            alerts.add(alert);
        }
    }
}

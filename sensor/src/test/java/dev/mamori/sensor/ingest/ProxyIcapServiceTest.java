package dev.mamori.sensor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Alert;
import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.alert.MessageCatalog;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.intel.Indicators;
import dev.mamori.detectors.proxy.ProxyC2Access;
import dev.mamori.detectors.proxy.ProxyUnknownUserAgent;
import dev.mamori.detectors.site.BusinessHours;
import dev.mamori.detectors.site.IpSet;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.protocols.icap.HttpHead;
import dev.mamori.protocols.icap.IcapRequest;
import dev.mamori.protocols.icap.IcapService;
import dev.mamori.sensor.metrics.SensorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ICAP verdicts come from the findings rules report on the request, not from the alerts raised. */
class ProxyIcapServiceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);
    private static final SiteProfile SITE = new SiteProfile(
            IpSet.of(List.of("10.0.0.0/8")),
            Set.of("untrust"),
            ZoneId.of("Asia/Tokyo"),
            BusinessHours.weekdays(LocalTime.of(8, 0), LocalTime.of(19, 0)),
            List.of(),
            Set.of(),
            Language.EN);

    private static IcapRequest get(String url, String agent) {
        HttpHead http = new HttpHead("GET", url, "HTTP/1.1", Map.of("user-agent", List.of(agent)));
        return new IcapRequest(
                "REQMOD",
                "icap://127.0.0.1/reqmod",
                "reqmod",
                Map.of(),
                "req-hdr=0, null-body=80",
                new byte[0],
                http,
                false,
                -1);
    }

    private static final AlertFactory FACTORY = new AlertFactory(MessageCatalog.load(Language.EN), CLOCK);
    private static final Indicators C2 = c2();

    private static Indicators c2() {
        Indicators.Builder intel = new Indicators.Builder();
        intel.add("c2.example.net");
        return intel.build();
    }

    @Test
    void anAgentAlertedOncePerWindowIsRefusedOnEveryRequest() {
        List<Alert> alerts = new ArrayList<>();
        try (SensorMetrics metrics = new SensorMetrics("t")) {
            ProxyIcapService service = new ProxyIcapService(
                    List.of(
                            new ProxyC2Access(() -> C2, SITE, FACTORY, ObserverInput.ICAP, CLOCK),
                            new ProxyUnknownUserAgent(
                                    () -> List.of(Pattern.compile("^Mozilla/")),
                                    Duration.ofHours(1),
                                    100,
                                    FACTORY,
                                    ObserverInput.ICAP,
                                    CLOCK)),
                    true,
                    Set.of("proxy.unknown_user_agent"),
                    alerts::add,
                    () -> "tag",
                    CLOCK,
                    metrics,
                    e -> {});
            for (int i = 0; i < 3; i++) {
                IcapService.Verdict v = service.reqmod(get("http://a.example/" + i, "EvilBot/6.6"), "10.1.2.3");
                assertThat(v)
                        .as("request %d", i)
                        .isEqualTo(new IcapService.Block(
                                "proxy.unknown_user_agent",
                                "This program (User-Agent \"EvilBot/6.6\") is not among those the organisation uses."));
            }
            assertThat(alerts).as("one alert per window").hasSize(1);
            // a C&C destination alerts, but proxy.c2_access is not in this service's block list
            assertThat(service.reqmod(get("http://c2.example.net/", "Mozilla/5.0"), "10.1.2.3"))
                    .isEqualTo(IcapService.ALLOW);
            assertThat(alerts).extracting(Alert::ruleId).containsExactly("proxy.unknown_user_agent", "proxy.c2_access");
        }
    }

    /** The verdict comes at once; the alerts only when the connection runs the work left for later. */
    @Test
    void alertsWaitForTheAnswer() {
        List<Alert> alerts = new ArrayList<>();
        List<Runnable> later = new ArrayList<>();
        try (SensorMetrics metrics = new SensorMetrics("t")) {
            ProxyIcapService service = new ProxyIcapService(
                    List.of(new ProxyC2Access(() -> C2, SITE, FACTORY, ObserverInput.ICAP, CLOCK)),
                    true,
                    Set.of("proxy.c2_access"),
                    alerts::add,
                    () -> "tag",
                    CLOCK,
                    metrics,
                    e -> {});
            IcapService.Verdict v =
                    service.reqmod(get("http://c2.example.net/", "Mozilla/5.0"), "10.1.2.3", later::add);
            assertThat(v).isInstanceOf(IcapService.Block.class);
            assertThat(alerts).as("nothing raised before the answer").isEmpty();
            assertThat(later).hasSize(1);
            later.get(0).run();
            assertThat(alerts).extracting(Alert::ruleId).containsExactly("proxy.c2_access");
            assertThat(service.reqmod(get("http://a.example/", "Mozilla/5.0"), "10.1.2.3", later::add))
                    .isEqualTo(IcapService.ALLOW);
            assertThat(later).as("no alert, no work left").hasSize(1);
        }
    }
}

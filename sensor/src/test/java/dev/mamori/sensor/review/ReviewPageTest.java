package dev.mamori.sensor.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mamori.detectors.alert.Language;
import dev.mamori.detectors.firewall.Direction;
import dev.mamori.detectors.firewall.FirewallAction;
import dev.mamori.detectors.site.SiteProfile;
import dev.mamori.detectors.state.TimeBasis;
import dev.mamori.sensor.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewPageTest {

    @TempDir
    Path dir;

    private ReviewBook filledBook() throws Exception {
        Files.writeString(dir.resolve("mamori.yaml"), "site: {timezone: Asia/Tokyo}\n");
        SiteProfile site = ConfigLoader.load(dir.resolve("mamori.yaml")).site();
        ReviewBook book = new ReviewBook(site, TimeBasis.EVENT, Clock.systemUTC(), null, 30, 3);
        ReviewBookTest.oneDay(book, ReviewBookTest.TUESDAY_10, ReviewBookTest.TUESDAY_23);
        book.proxy(
                ReviewBookTest.proxy(
                        "GET", "http://x/", "x", 80, "<script>alert(1)</script>", 0, ReviewBookTest.TUESDAY_10),
                ReviewBookTest.TUESDAY_10);
        book.firewall(
                ReviewBookTest.firewall(
                        FirewallAction.DENY, "10.1.2.3\u0007\"", "198.51.100.1", 25, ReviewBookTest.TUESDAY_10),
                Direction.OUTBOUND,
                ReviewBookTest.TUESDAY_10);
        return book;
    }

    @Test
    void theDailyPageHasEverySectionWithAChartAndEscapesWhatTheLogsSaid() throws Exception {
        String html = new ReviewReports(filledBook(), new ReviewPage(Language.EN, ZoneId.of("Asia/Tokyo")))
                .daily(ReviewBookTest.TUESDAY);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Daily review 2026-12-01</title>");
        for (String section : new String[] {"firewall", "proxy", "auth", "alerts"}) {
            String body = html.substring(html.indexOf("<section id=\"" + section + "\""));
            body = body.substring(0, body.indexOf("</section>"));
            assertThat(body).as(section).contains("<svg class=\"chart\"");
        }
        assertThat(html)
                .contains("Internal hosts refused on the way out", "CONNECT ports", "EvilBot/1", "alice")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script")
                .doesNotContain("\u0007")
                .contains("10.1.2.3\uFFFD&quot;");
    }

    @Test
    void japaneseAndEmptyPeriods() throws Exception {
        ReviewReports ja = new ReviewReports(filledBook(), new ReviewPage(Language.JA, ZoneId.of("Asia/Tokyo")));
        assertThat(ja.daily(ReviewBookTest.TUESDAY)).contains("日次レビュー", "外向き通信を拒否された内部端末");
        assertThat(ja.weekly(ReviewBookTest.TUESDAY.plusDays(3)))
                .contains("週次レビュー 2026-11-28 – 2026-12-04")
                .contains("<svg");
        assertThat(ja.daily(ReviewBookTest.TUESDAY.minusDays(1))).contains("この期間の記録はありません");
    }
}

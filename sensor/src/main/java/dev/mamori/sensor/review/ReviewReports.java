package dev.mamori.sensor.review;

import java.time.LocalDate;

/**
 * The review pages the sensor serves: a day, or the week (seven days) ending on a day. Reads day
 * files when the day is no longer in memory, so callers run it off the event loops.
 */
public final class ReviewReports {

    private final ReviewBook book;
    private final ReviewPage page;

    public ReviewReports(ReviewBook book, ReviewPage page) {
        this.book = book;
        this.page = page;
    }

    /** The day's page; today when {@code date} is null. */
    public String daily(LocalDate date) {
        LocalDate d = date == null ? book.today() : date;
        return page.render(ReviewPage.Kind.DAILY, d.toString(), book.day(d).orElse(null));
    }

    /** The seven days ending on {@code date} (today when null). */
    public String weekly(LocalDate date) {
        LocalDate last = date == null ? book.today() : date;
        LocalDate first = last.minusDays(6);
        return page.render(
                ReviewPage.Kind.WEEKLY,
                first + " – " + last,
                book.period(first, last).orElse(null));
    }

    /** Every day the book holds in memory, as one page (offline analysis); null when it holds none. */
    public String held() {
        var dates = book.openDates();
        if (dates.isEmpty()) {
            return page.render(ReviewPage.Kind.PERIOD, "-", null);
        }
        LocalDate first = dates.get(0);
        LocalDate last = dates.get(dates.size() - 1);
        if (first.equals(last)) {
            return page.render(
                    ReviewPage.Kind.DAILY, first.toString(), book.day(first).orElse(null));
        }
        return page.render(
                ReviewPage.Kind.PERIOD,
                first + " – " + last,
                book.period(first, last).orElse(null));
    }
}

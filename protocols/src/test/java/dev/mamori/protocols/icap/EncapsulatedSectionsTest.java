package dev.mamori.protocols.icap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncapsulatedSectionsTest {

    @Test
    void readsWhatSquidAndClientsSend() {
        assertThat(EncapsulatedSections.parse("req-hdr=0, null-body=170"))
                .isEqualTo(new EncapsulatedSections(0, 170, false, 170));
        assertThat(EncapsulatedSections.parse("req-hdr=0, req-body=412"))
                .isEqualTo(new EncapsulatedSections(0, 412, true, 412));
        assertThat(EncapsulatedSections.parse("req-hdr=0, res-hdr=137, res-body=296"))
                .isEqualTo(new EncapsulatedSections(0, 137, true, 296));
        assertThat(EncapsulatedSections.parse("null-body=0")).isEqualTo(new EncapsulatedSections(-1, -1, false, 0));
        assertThat(EncapsulatedSections.parse(" REQ-HDR = 0 ,Req-Body=5,,"))
                .isEqualTo(new EncapsulatedSections(0, 5, true, 5));
        for (String bad : List.of(
                "",
                ",",
                "req-hdr=0",
                "req-hdr=5, null-body=9",
                "req-hdr=0, null-body=x",
                "req-hdr=0, null-body=",
                "req-hdr=0,, null-body=3",
                "req-hdr=0, null-body=3, ",
                "x-hdr=0, null-body=1",
                "=0, null-body=1",
                "req-hdr=0, res-hdr=9, null-body=4",
                "req-hdr=0, null-body=99999999999",
                "req-hdr=0, null-body=-1")) {
            assertThat(EncapsulatedSections.parse(bad)).as("'%s'", bad).isNull();
        }
    }

    /**
     * The same answer as the reading by split, strip and parseInt it replaced: on values shaped
     * like the header (entities with offsets, odd case, spaces and commas, most of them accepted)
     * and on any mix of its pieces (most of them refused).
     */
    @Test
    void agreesWithTheReadingBySplitOnAnyValue() {
        String[] names = {"req-hdr", "RES-HDR", "Req-Body", "res-body", "null-body", "NULL-BODY", "opt-body", "hdr"};
        String[] space = {"", "", "", "", " ", " ", "\t", "\u00a0"};
        String[] pieces = {"req-hdr", "null-body", "=", ",", " ", "0", "12", "+3", "-", "99999999999"};
        Random random = new Random(3507);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder();
            if (i % 2 == 0) {
                int offset = 0;
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    b.append(space[random.nextInt(space.length)])
                            .append(names[random.nextInt(names.length)])
                            .append(space[random.nextInt(space.length)])
                            .append('=')
                            .append(space[random.nextInt(space.length)])
                            .append(offset)
                            .append(space[random.nextInt(space.length)])
                            .append(n > 1 ? "," : ",".repeat(random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0));
                    offset += random.nextInt(400) - 5;
                }
            } else {
                for (int n = random.nextInt(10); n > 0; n--) {
                    b.append(pieces[random.nextInt(pieces.length)]);
                }
            }
            String value = b.toString();
            EncapsulatedSections read = EncapsulatedSections.parse(value);
            assertThat(read).as("'%s'", value).isEqualTo(bySplit(value));
            accepted += read == null ? 0 : 1;
        }
        assertThat(accepted).as("values accepted").isGreaterThan(5_000);
    }

    /** The decoder's reading before it was done by position (kept here as the reference). */
    private static EncapsulatedSections bySplit(String value) {
        int reqHdrStart = -1;
        int reqHdrEnd = -1;
        int last = -1;
        String lastName = null;
        int count = 0;
        for (String part : value.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            int offset;
            try {
                offset = Integer.parseInt(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (!List.of("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body")
                            .contains(name)
                    || offset < 0
                    || offset < last
                    || (count == 0 && offset != 0)) {
                return null;
            }
            if ("req-hdr".equals(lastName)) {
                reqHdrEnd = offset;
            }
            if (name.equals("req-hdr")) {
                reqHdrStart = offset;
            }
            lastName = name;
            last = offset;
            count++;
        }
        if (lastName == null || !lastName.endsWith("-body")) {
            return null;
        }
        return new EncapsulatedSections(
                reqHdrStart, reqHdrEnd, lastName.equals("req-body") || lastName.equals("res-body"), last);
    }
}

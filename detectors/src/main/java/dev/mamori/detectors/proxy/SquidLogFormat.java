package dev.mamori.detectors.proxy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's own Squid access-log format, built from the format part of its {@code logformat} line
 * (Squid's {@code %} codes), so lines written in it are read field by field. The codes the proxy
 * rules use are read (time, client, method, URL, status, request size, headers such as
 * User-Agent); the others are matched and skipped. A code Squid does not have is refused with its
 * name, as Squid itself would refuse it.
 */
public final class SquidLogFormat {

    /** What one code contributes to an event. */
    private enum Field {
        EPOCH_SECONDS,
        MILLIS,
        LOCAL_TIME,
        CLIENT,
        METHOD,
        URL,
        STATUS,
        REQUEST_BYTES,
        USER_AGENT,
        HOST_HEADER,
        SKIP
    }

    private record Code(String code, Field field, String regex) {}

    /** Every code this reader knows; tried longest first, so {@code <pt} is not read as {@code <p}. */
    private static final List<Code> CODES = sortedLongestFirst(
            new Code(">Hs", Field.STATUS, "(\\d{3}|-)"),
            new Code("<Hs", Field.SKIP, null),
            new Code(">st", Field.REQUEST_BYTES, "(\\d+|-)"),
            new Code("<st", Field.SKIP, null),
            new Code(">sh", Field.SKIP, null),
            new Code("<sh", Field.SKIP, null),
            new Code("st", Field.SKIP, null),
            new Code(">a", Field.CLIENT, null),
            new Code(">A", Field.SKIP, null),
            new Code(">p", Field.SKIP, null),
            new Code("<a", Field.SKIP, null),
            new Code("<A", Field.SKIP, null),
            new Code("<p", Field.SKIP, null),
            new Code("<pt", Field.SKIP, null),
            new Code("<tt", Field.SKIP, null),
            new Code("la", Field.SKIP, null),
            new Code("lp", Field.SKIP, null),
            new Code("ts", Field.EPOCH_SECONDS, "(\\d+)"),
            new Code("tu", Field.MILLIS, "(\\d+)"),
            new Code("tl", Field.LOCAL_TIME, "(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})"),
            new Code("tg", Field.LOCAL_TIME, "(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})"),
            new Code("tr", Field.SKIP, null),
            new Code("dt", Field.SKIP, null),
            new Code("rm", Field.METHOD, null),
            new Code("ru", Field.URL, null),
            new Code("rp", Field.SKIP, null),
            new Code("rv", Field.SKIP, null),
            new Code("un", Field.SKIP, null),
            new Code("ul", Field.SKIP, null),
            new Code("ui", Field.SKIP, null),
            new Code("us", Field.SKIP, null),
            new Code("ue", Field.SKIP, null),
            new Code("Ss", Field.SKIP, null),
            new Code("Sh", Field.SKIP, null),
            new Code("mt", Field.SKIP, null),
            new Code("ea", Field.SKIP, null),
            new Code("et", Field.SKIP, null),
            new Code(">h", Field.SKIP, null),
            new Code("<h", Field.SKIP, null));

    private static List<Code> sortedLongestFirst(Code... codes) {
        List<Code> out = new ArrayList<>(List.of(codes));
        out.sort((a, b) -> Integer.compare(b.code().length(), a.code().length()));
        return List.copyOf(out);
    }

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    /** {@code %[flags][-][width][{arg}]code} */
    private static final Pattern CODE_START = Pattern.compile("%([\"\\[#'/]?)(-?)(\\d*)(\\{[^}]*\\})?");

    private final String text;
    private final Pattern line;
    private final List<Field> fields;

    private SquidLogFormat(String text, Pattern line, List<Field> fields) {
        this.text = text;
        this.line = line;
        this.fields = List.copyOf(fields);
    }

    /**
     * @param format the format part of a {@code logformat} line, e.g. {@code %ts.%03tu %6tr %>a ...}
     * @throws IllegalArgumentException naming the first code Squid does not have, or saying the
     *     format carries no time, client, method or URL (a line without them cannot be inspected)
     */
    public static SquidLogFormat compile(String format) {
        StringBuilder regex = new StringBuilder("^\\s*");
        List<Field> fields = new ArrayList<>();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
                regex.append('%');
                i += 2;
                continue;
            }
            if (c != '%') {
                if (Character.isWhitespace(c)) {
                    while (i < format.length() && Character.isWhitespace(format.charAt(i))) {
                        i++;
                    }
                    regex.append("\\s+");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
                continue;
            }
            Matcher m = CODE_START.matcher(format);
            m.region(i, format.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("cannot read the format code at '" + format.substring(i) + "'");
            }
            int at = m.end();
            Code code = null;
            for (Code k : CODES) {
                if (format.startsWith(k.code(), at)) {
                    code = k;
                    break;
                }
            }
            if (code == null) {
                int end = at;
                while (end < format.length()
                        && !Character.isWhitespace(format.charAt(end))
                        && format.charAt(end) != '"') {
                    end++;
                }
                throw new IllegalArgumentException("unknown format code %" + format.substring(at, end)
                        + " (Squid's logformat codes: %ts, %tu, %tl, %>a, %rm, %ru, %>Hs, %>st, %{Header}>h, ...)");
            }
            at += code.code().length();
            String arg = m.group(4);
            Field field = code.field();
            if (code.code().equals(">h") && arg != null) {
                String header = arg.substring(1, arg.length() - 1);
                field = header.equalsIgnoreCase("User-Agent")
                        ? Field.USER_AGENT
                        : header.equalsIgnoreCase("Host") ? Field.HOST_HEADER : Field.SKIP;
            }
            boolean quoted = i > 0 && format.charAt(i - 1) == '"' && at < format.length() && format.charAt(at) == '"';
            String group = code.regex() != null ? code.regex() : quoted ? "([^\"]*)" : "(\\S+)";
            regex.append(group);
            fields.add(field);
            i = at;
        }
        regex.append("\\s*$");
        for (Field needed : List.of(Field.CLIENT, Field.METHOD, Field.URL)) {
            if (!fields.contains(needed)) {
                throw new IllegalArgumentException("the format has no "
                        + switch (needed) {
                            case CLIENT -> "client address (%>a)";
                            case METHOD -> "request method (%rm)";
                            default -> "URL (%ru)";
                        }
                        + "; the proxy rules need it");
            }
        }
        if (!fields.contains(Field.EPOCH_SECONDS) && !fields.contains(Field.LOCAL_TIME)) {
            throw new IllegalArgumentException("the format has no time (%ts or %tl)");
        }
        return new SquidLogFormat(format, Pattern.compile(regex.toString()), fields);
    }

    public String text() {
        return text;
    }

    /** Whether the format records what the user-agent and upload rules read. */
    public boolean hasUserAgent() {
        return fields.contains(Field.USER_AGENT);
    }

    /**
     * Reads one line, or returns null when the line is not in this format.
     *
     * @param label the format label for metrics and the event's source
     */
    public ProxyEvent read(String message, String label) {
        Matcher m = line.matcher(message);
        if (!m.find()) {
            return null;
        }
        long seconds = -1;
        long millis = 0;
        Instant time = null;
        String client = null;
        String method = null;
        String url = null;
        String agent = null;
        long bytes = -1;
        int status = -1;
        for (int g = 0; g < fields.size(); g++) {
            String v = m.group(g + 1);
            switch (fields.get(g)) {
                case EPOCH_SECONDS -> seconds = number(v);
                case MILLIS -> millis = Math.max(0, number(v));
                case LOCAL_TIME -> {
                    try {
                        time = ZonedDateTime.parse(v, CLF).toInstant();
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                }
                case CLIENT -> client = v;
                case METHOD -> method = v;
                case URL -> url = v;
                case STATUS -> status = (int) number(v);
                case REQUEST_BYTES -> bytes = number(v);
                case USER_AGENT -> agent = v.equals("-") ? "" : v;
                default -> {}
            }
        }
        if (time == null && seconds >= 0) {
            time = Instant.ofEpochMilli(seconds * 1000 + millis);
        }
        if (time == null || client == null || method == null || url == null) {
            return null;
        }
        String[] hp = ProxyEvent.hostPort(method, url);
        if (hp == null) {
            return null;
        }
        return new ProxyEvent(
                time,
                client,
                method.toUpperCase(Locale.ROOT),
                url,
                hp[0],
                Integer.parseInt(hp[1]),
                hasUserAgent() ? agent : null,
                bytes,
                status,
                label,
                message);
    }

    private static long number(String v) {
        if (v == null || v.isEmpty() || v.length() > 18) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }
}

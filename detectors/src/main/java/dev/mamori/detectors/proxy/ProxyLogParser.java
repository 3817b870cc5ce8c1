package dev.mamori.detectors.proxy;

import dev.mamori.detectors.parse.LogFormat;
import dev.mamori.detectors.parse.ParseOutcome;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Proxy access-log lines, with or without a syslog header in front:
 * <ul>
 * <li>Squid's native {@code squid} format: {@code time elapsed client code/status bytes method URL
 *     user hierarchy/peer type};
 * <li>the {@code mamori} format (DESIGN.md): the native fields, then the request size and the
 *     quoted User-Agent ({@code ... %mt %>st "%{User-Agent}>h"});
 * <li>Apache/Squid {@code combined}: {@code client ident user [time] "METHOD URL HTTP/x" status
 *     bytes "referer" "agent"}.
 * </ul>
 */
public final class ProxyLogParser implements LogFormat<ProxyEvent> {

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    /** The label of lines read with a site's own {@code logformat}. */
    public static final String CUSTOM = "squid_logformat";

    private final List<SquidLogFormat> custom;

    /** The built-in formats only. */
    public ProxyLogParser() {
        this(List.of());
    }

    /** The site's own formats, tried first in their order, then the built-in ones. */
    public ProxyLogParser(List<SquidLogFormat> custom) {
        this.custom = List.copyOf(custom);
    }

    @Override
    public String family() {
        return "proxy";
    }

    @Override
    public ParseOutcome<ProxyEvent> parse(String message, String host, Instant time) {
        return parse(message);
    }

    /** One access-log line; it carries its own time. */
    public ParseOutcome<ProxyEvent> parse(String message) {
        for (SquidLogFormat f : custom) {
            ProxyEvent e = f.read(message, CUSTOM);
            if (e != null) {
                return ParseOutcome.parsed(CUSTOM, e);
            }
        }
        if (!maybeNative(message) && !maybeCombined(message)) {
            return ParseOutcome.notMine(); // most lines offered here are other formats': no tokens for them
        }
        List<String> f = tokens(message, MAX_TOKENS);
        // native/mamori: the first field is an epoch time with milliseconds, the fourth CODE/status
        int start = nativeStart(f);
        if (start >= 0) {
            return nativeLine(f, start, message);
        }
        int clf = combinedStart(f);
        if (clf >= 0) {
            return combined(f, clf, message);
        }
        return ParseOutcome.notMine();
    }

    /** Both layouts start within the first 8 tokens and need at most 12 after that. */
    private static final int MAX_TOKENS = 20;

    /** A native line has an epoch time with a fraction and a CODE/status field. */
    private static boolean maybeNative(String s) {
        return s.indexOf('.') > 0 && s.indexOf('/') > 0;
    }

    /** A combined line has a [time] and a "request". */
    private static boolean maybeCombined(String s) {
        return s.indexOf('[') >= 0 && s.indexOf('"') > 0;
    }

    private static int nativeStart(List<String> f) {
        for (int i = 0; i + 9 < f.size() && i < 8; i++) {
            String t = f.get(i);
            int dot = t.indexOf('.');
            if (dot > 8
                    && t.length() - dot == 4
                    && digits(t.substring(0, dot))
                    && digits(t.substring(dot + 1))
                    && f.get(i + 3).indexOf('/') > 0
                    && digits(f.get(i + 1))) {
                return i;
            }
        }
        return -1;
    }

    private ParseOutcome<ProxyEvent> nativeLine(List<String> f, int i, String message) {
        String format = f.size() > i + 11 ? "mamori" : "squid";
        try {
            long millis = Math.round(Double.parseDouble(f.get(i)) * 1000);
            String client = f.get(i + 2);
            String[] codeStatus = f.get(i + 3).split("/", 2);
            int status = parseInt(codeStatus.length > 1 ? codeStatus[1] : "-");
            String method = f.get(i + 5);
            String url = f.get(i + 6);
            long requestBytes = -1;
            String agent = null;
            if (format.equals("mamori")) {
                requestBytes = parseLong(f.get(i + 10));
                agent = unquote(f.get(i + 11));
            }
            return event(
                    Instant.ofEpochMilli(millis), client, method, url, agent, requestBytes, status, format, message);
        } catch (NumberFormatException e) {
            return ParseOutcome.malformed(format, "bad number in a " + format + " access-log line");
        }
    }

    private static int combinedStart(List<String> f) {
        for (int i = 0; i + 8 < f.size() && i < 8; i++) {
            if (f.get(i + 3).startsWith("[")
                    && f.get(i + 4).startsWith("\"")
                    && f.get(i + 4).length() > 2
                    && digits(f.get(i + 5))) {
                return i;
            }
        }
        return -1;
    }

    private ParseOutcome<ProxyEvent> combined(List<String> f, int i, String message) {
        String[] request = unquote(f.get(i + 4)).split(" ");
        if (request.length < 2) {
            return ParseOutcome.malformed("combined", "request field is not \"METHOD URL HTTP/x\"");
        }
        Instant time;
        try {
            String t = f.get(i + 3);
            time = ZonedDateTime.parse(t.substring(1, t.length() - 1), CLF).toInstant();
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return ParseOutcome.malformed("combined", "bad [time] field");
        }
        String agent = f.size() > i + 8 ? unquote(f.get(i + 8)) : null;
        if ("-".equals(agent)) {
            agent = "";
        }
        return event(time, f.get(i), request[0], request[1], agent, -1, parseInt(f.get(i + 5)), "combined", message);
    }

    private static ParseOutcome<ProxyEvent> event(
            Instant time,
            String client,
            String method,
            String url,
            String agent,
            long requestBytes,
            int status,
            String format,
            String message) {
        String[] hp = ProxyEvent.hostPort(method, url);
        if (hp == null) {
            return ParseOutcome.malformed(
                    format, "no host in '" + (url.length() > 80 ? url.substring(0, 80) : url) + "'");
        }
        if (agent != null && agent.equals("-")) {
            agent = "";
        }
        return ParseOutcome.parsed(
                format,
                new ProxyEvent(
                        time,
                        client,
                        method.toUpperCase(Locale.ROOT),
                        url,
                        hp[0],
                        Integer.parseInt(hp[1]),
                        agent,
                        requestBytes,
                        status,
                        format,
                        message));
    }

    /** Splits on spaces, keeping "quoted strings" and [bracketed times] whole; the first {@code max}. */
    static List<String> tokens(String s, int max) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n && out.size() < max) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            char c = s.charAt(i);
            int end;
            if (c == '"') {
                end = i + 1;
                while (end < n && !(s.charAt(end) == '"' && s.charAt(end - 1) != '\\')) {
                    end++;
                }
                end = Math.min(end + 1, n);
            } else if (c == '[') {
                end = s.indexOf(']', i);
                end = end < 0 ? n : end + 1;
            } else {
                end = s.indexOf(' ', i);
                end = end < 0 ? n : end;
            }
            out.add(s.substring(i, end));
            i = end;
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"");
        }
        return s;
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int parseInt(String s) {
        return digits(s) && s.length() < 10 ? Integer.parseInt(s) : -1;
    }

    private static long parseLong(String s) {
        return digits(s) && s.length() < 19 ? Long.parseLong(s) : -1;
    }
}

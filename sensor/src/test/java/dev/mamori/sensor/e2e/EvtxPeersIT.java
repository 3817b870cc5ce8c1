package dev.mamori.sensor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mamori.detectors.evtx.EvtxReader;
import dev.mamori.detectors.windows.MalformedEventException;
import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsXmlParser;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The native EVTX reader against the two references Debian packages: python-evtx's
 * {@code evtx_dump.py} and libevtx's {@code evtxexport}, on the public EVTX-ATTACK-SAMPLES (and the
 * few other samples) in {@code ../shared/corpus/evtx*}. Every record each reference reads must be
 * read with the same EventID, record id, time, channel, computer and event data values. Values are
 * compared as the references write them: hex as numbers (libevtx pads them), line breaks as XML
 * reads them, times to the microsecond python-evtx's float arithmetic keeps.
 */
class EvtxPeersIT {

    /** The shared corpus, beside the repository (or where MAMORI_SHARED_DIR says). */
    static Path shared() {
        String env = System.getenv("MAMORI_SHARED_DIR");
        Path dir = env != null
                ? Path.of(env)
                : Path.of("..", "..", "shared").toAbsolutePath().normalize();
        return dir;
    }

    static List<Path> samples() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("corpus/evtx-attack", "corpus/evtx")) {
            Path d = shared().resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".evtx")).sorted().forEach(files::add);
                }
            }
        }
        if (files.isEmpty()) {
            String message = "no EVTX samples under " + shared() + "/corpus/evtx*: set MAMORI_SHARED_DIR to run";
            if ("1".equals(System.getenv("MAMORI_REQUIRE_PEERS"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return files;
    }

    private static Map<Long, WindowsEvent> ours(Path file) throws Exception {
        Map<Long, WindowsEvent> out = new TreeMap<>();
        EvtxReader.Summary s =
                EvtxReader.read(ByteBuffer.wrap(Files.readAllBytes(file)), e -> out.put(e.recordId(), e));
        assertThat(s.recordsSkipped()).as(file + ": " + s.problems()).isZero();
        return out;
    }

    /** The reference's XML, one {@code <Event>} at a time (one bad event must not hide the rest). */
    private static Map<Long, WindowsEvent> reference(String xml, List<String> unreadable) {
        Map<Long, WindowsEvent> out = new HashMap<>();
        WindowsXmlParser parser = new WindowsXmlParser();
        int from = xml.indexOf("<Event ");
        while (from >= 0) {
            int end = xml.indexOf("</Event>", from);
            if (end < 0) {
                break;
            }
            String one = xml.substring(from, end + "</Event>".length());
            try {
                for (WindowsEvent e : parser.parse(one)) {
                    out.put(e.recordId(), e);
                }
            } catch (MalformedEventException e) {
                unreadable.add(e.getMessage()); // e.g. python-evtx writes a bare & in some values
            }
            from = xml.indexOf("<Event ", end);
        }
        return out;
    }

    @Test
    void everyRecordMatchesPythonEvtxAndLibevtx() throws Exception {
        Path evtxDump = Peers.require("evtx_dump.py", "python3-evtx");
        Path evtxexport = Peers.require("evtxexport", "libevtx-utils");
        long compared = 0;
        List<String> mismatches = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : samples()) {
            Map<Long, WindowsEvent> ours = ours(file);
            Map<String, Map<Long, WindowsEvent>> references = Map.of(
                    "python-evtx",
                            reference(Peers.run("/usr/bin/python3", evtxDump.toString(), file.toString()), unreadable),
                    "evtxexport",
                            reference(Peers.run(evtxexport.toString(), "-f", "xml", file.toString()), unreadable));
            for (Map.Entry<String, Map<Long, WindowsEvent>> ref : references.entrySet()) {
                assertThat(ref.getValue().size())
                        .as(ref.getKey() + " read about as many records from " + file.getFileName())
                        .isLessThanOrEqualTo(ours.size());
                for (WindowsEvent theirs : ref.getValue().values()) {
                    WindowsEvent mine = ours.get(theirs.recordId());
                    String where = ref.getKey() + " " + file.getFileName() + " record " + theirs.recordId();
                    compared++;
                    if (mine == null) {
                        mismatches.add(where + ": not read");
                        continue;
                    }
                    // python-evtx converts FILETIME through a float: a few microseconds off; libevtx is exact
                    compare(
                            where,
                            theirs,
                            mine,
                            ref.getKey().equals("python-evtx") ? Duration.ofNanos(5_000) : Duration.ZERO,
                            mismatches);
                }
            }
        }
        assertThat(mismatches).as("records compared: " + compared).isEmpty();
        assertThat(compared).isGreaterThan(3000);
        assertThat(unreadable.size())
                .as("reference records whose XML cannot be read")
                .isLessThan(20);
    }

    @Test
    void analyzeReadsEvtxFilesWhateverTheirNameAndWritesEventsAndAlerts() throws Exception {
        Path cleared = samples().stream()
                .filter(p -> p.getFileName().toString().equals("Defense_Evasion__DE_1102_security_log_cleared.evtx"))
                .findFirst()
                .orElseThrow();
        Path renamed = Files.copy(cleared, Files.createTempDirectory("evtx").resolve("security-export.bin"));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.mamori.sensor.cli.Main.execute(
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), "analyze", renamed.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"rule.id\":\"ad.log_cleared\"");
        assertThat(err.toString()).contains("EVTX, 112 record(s)").contains("analyze: 112 record(s) from EVTX files");

        java.io.StringWriter events = new java.io.StringWriter();
        code = dev.mamori.sensor.cli.Main.execute(
                new java.io.PrintWriter(events, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true),
                "analyze",
                "--events",
                renamed.toString());
        assertThat(code).isZero();
        List<String> lines = events.toString().lines().toList();
        assertThat(lines)
                .hasSize(112)
                .allSatisfy(l -> assertThat(l)
                        .startsWith("{\"@timestamp\":")
                        .contains("\"winlog.event_id\":", "\"winlog.record_id\":", "\"winlog.event_data\":{"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"winlog.event_id\":1102"));
    }

    private static void compare(
            String where, WindowsEvent theirs, WindowsEvent mine, Duration tolerance, List<String> out) {
        if (theirs.eventId() != mine.eventId()) {
            out.add(where + ": EventID " + theirs.eventId() + " != " + mine.eventId());
        }
        if (!same(theirs.channel(), mine.channel()) || !same(theirs.computer(), mine.computer())) {
            out.add(where + ": channel/computer " + theirs.channel() + "/" + theirs.computer() + " != " + mine.channel()
                    + "/" + mine.computer());
        }
        if (theirs.time() == null
                || Duration.between(theirs.time(), mine.time()).abs().compareTo(tolerance) > 0) {
            out.add(where + ": time " + theirs.time() + " != " + mine.time());
        }
        Map<String, String> theirData = expandStringArrays(theirs.data());
        for (Map.Entry<String, String> d : theirData.entrySet()) {
            String v = mine.data().get(d.getKey());
            if (!value(d.getValue()).equals(value(v))) {
                out.add(where + ": " + d.getKey() + " '" + d.getValue() + "' != '" + v + "'");
            }
        }
        if (!mine.data().keySet().containsAll(theirData.keySet()) || mine.data().size() != theirData.size()) {
            out.add(where + ": fields " + theirData.keySet() + " != "
                    + mine.data().keySet());
        }
    }

    private static final Pattern STRING_ITEM = Pattern.compile("<string>(.*?)</string>");

    /**
     * python-evtx writes a string array substituted into an unnamed {@code <Data>} as one element of
     * {@code <string>} items; Windows and libevtx write one {@code <Data>} per item. The same values.
     */
    private static Map<String, String> expandStringArrays(Map<String, String> data) {
        if (data.values().stream().noneMatch(v -> v != null && v.contains("<string>"))) {
            return data;
        }
        // positional fields in their order (the event's map has none of its own)
        Map<String, String> ordered = new TreeMap<>(java.util.Comparator.comparingInt(
                        (String k) -> k.matches("Data\\d+") ? Integer.parseInt(k.substring(4)) : Integer.MAX_VALUE)
                .thenComparing(k -> k));
        ordered.putAll(data);
        Map<String, String> out = new LinkedHashMap<>();
        int unnamed = 0;
        for (Map.Entry<String, String> d : ordered.entrySet()) {
            boolean positional = d.getKey().matches("Data\\d+");
            String v = d.getValue() == null ? "" : d.getValue();
            if (positional && v.contains("<string>")) {
                Matcher m = STRING_ITEM.matcher(v);
                while (m.find()) {
                    out.put("Data" + (++unnamed), m.group(1));
                }
            } else {
                out.put(positional ? "Data" + (++unnamed) : d.getKey(), d.getValue());
            }
        }
        return out;
    }

    private static boolean same(String a, String b) {
        return (a == null ? "" : a).equals(b == null ? "" : b);
    }

    /** A value as both sides mean it. */
    static String value(String v) {
        if (v == null) {
            return "";
        }
        String s = v.replace("\r\n", "\n").replace('\r', '\n').strip();
        // python-evtx wraps string arrays in <string> elements; the values are the same
        s = s.replace("<string>", "").replace("</string>", "");
        if (s.matches("0x[0-9a-fA-F]{1,16}")) {
            return Long.toUnsignedString(Long.parseUnsignedLong(s.substring(2), 16));
        }
        if (s.matches("\\{[0-9a-fA-F-]{36}\\}")) {
            return s.toUpperCase(java.util.Locale.ROOT);
        }
        if (s.matches("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z?")) {
            // to the millisecond: python-evtx converts times through a float
            String t = s.replace(' ', 'T').replace("Z", "");
            String fraction = t.length() > 19 ? t.substring(19) : ".";
            return t.substring(0, 19) + (fraction + "000").substring(0, 4);
        }
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false") ? s.toLowerCase(java.util.Locale.ROOT) : s;
    }
}

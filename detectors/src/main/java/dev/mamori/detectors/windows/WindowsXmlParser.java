package dev.mamori.detectors.windows;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Event XML as Windows renders it ({@code wevtutil qe /f:xml}, Event Viewer, forwarded events) and
 * as python-evtx renders it (zero-padded hex, {@code SystemTime} without {@code T}/{@code Z}). A text
 * may hold one event or many, with or without an {@code <Events>} wrapper. EventData {@code <Data
 * Name="X">} become fields; unnamed Data become {@code Data1}, {@code Data2}...; UserData's leaf
 * elements (1102's {@code LogFileCleared/SubjectUserName}) become fields by element name.
 *
 * <p>Hostile input is refused, not expanded: DTDs and external entities are off, and events with
 * more than {@value #MAX_FIELDS} fields or nesting deeper than {@value #MAX_DEPTH} are rejected.
 */
public final class WindowsXmlParser {

    static final int MAX_FIELDS = 512;
    static final int MAX_DEPTH = 32;

    private final XMLInputFactory factory;

    public WindowsXmlParser() {
        factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    /**
     * Parses every {@code <Event>} in {@code xml}.
     *
     * @throws MalformedEventException when the XML is broken, declares a DTD, or exceeds a bound
     */
    public List<WindowsEvent> parse(String xml) throws MalformedEventException {
        List<WindowsEvent> events = new ArrayList<>();
        XMLStreamReader r = null;
        try {
            // Exports and log lines may hold several <Event> roots side by side: give them one parent.
            String body = xml.strip();
            if (body.startsWith("<?xml")) {
                int end = body.indexOf("?>");
                body = end < 0 ? body : body.substring(end + 2);
            }
            r = factory.createXMLStreamReader(new StringReader("<MamoriEvents>" + body + "</MamoriEvents>"));
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.DTD) {
                    throw new MalformedEventException("XML with a DTD is refused");
                }
                if (e == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Event")) {
                    events.add(event(r, slice(xml, events.size())));
                }
            }
        } catch (XMLStreamException | NoSuchElementException e) {
            // Only what StAX says about the document; any other exception is a bug and must surface.
            throw new MalformedEventException("not valid event XML: " + firstLine(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the string reader
                }
            }
        }
        if (events.isEmpty()) {
            throw new MalformedEventException("no <Event> element");
        }
        return events;
    }

    private static WindowsEvent event(XMLStreamReader r, String original)
            throws XMLStreamException, MalformedEventException {
        int eventId = -1;
        String provider = null;
        String channel = null;
        String computer = null;
        Instant time = null;
        long record = -1;
        Map<String, String> data = new LinkedHashMap<>();
        int unnamed = 0;
        int depth = 1;
        String section = null; // System, EventData or UserData
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.DTD) {
                throw new MalformedEventException("XML with a DTD is refused");
            }
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth > MAX_DEPTH) {
                    throw new MalformedEventException("event nested deeper than " + MAX_DEPTH);
                }
                String name = r.getLocalName();
                if (depth == 2) {
                    section = name;
                    continue;
                }
                if ("System".equals(section)) {
                    switch (name) {
                        case "Provider" -> provider = r.getAttributeValue(null, "Name");
                        case "TimeCreated" -> time = systemTime(r.getAttributeValue(null, "SystemTime"));
                        case "EventID" -> {
                            eventId = (int) WindowsEvent.parseNumber(r.getElementText());
                            depth--;
                        }
                        case "EventRecordID" -> {
                            record = WindowsEvent.parseNumber(r.getElementText());
                            depth--;
                        }
                        case "Channel" -> {
                            channel = r.getElementText().strip();
                            depth--;
                        }
                        case "Computer" -> {
                            computer = r.getElementText().strip();
                            depth--;
                        }
                        default -> {
                            // Version, Level, Task, Keywords, Correlation, Execution, Security: not used
                        }
                    }
                } else if ("EventData".equals(section) && name.equals("Data")) {
                    String field = r.getAttributeValue(null, "Name");
                    put(data, field == null ? "Data" + (++unnamed) : field, r.getElementText());
                    depth--;
                } else if ("UserData".equals(section) && depth >= 4) {
                    String text = leafText(r);
                    depth--;
                    if (text != null) {
                        put(data, name, text);
                    }
                }
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (depth == 1) {
                    section = null;
                }
                if (depth == 0) {
                    break;
                }
            }
        }
        if (eventId < 0) {
            throw new MalformedEventException("event without an EventID");
        }
        return new WindowsEvent(eventId, provider, channel, computer, time, record, data, "xml", original);
    }

    /** The text of the n-th {@code <Event>} element, for {@code event.original}; the whole text if not found. */
    static String slice(String xml, int n) {
        int from = 0;
        for (int i = 0; ; i++) {
            int start = xml.indexOf("<Event", from);
            while (start >= 0
                    && start + 6 < xml.length()
                    && xml.charAt(start + 6) != ' '
                    && xml.charAt(start + 6) != '>') {
                start = xml.indexOf("<Event", start + 6);
            }
            if (start < 0) {
                return xml;
            }
            int end = xml.indexOf("</Event>", start);
            if (end < 0) {
                return xml.substring(start);
            }
            if (i == n) {
                return xml.substring(start, end + 8);
            }
            from = end + 8;
        }
    }

    /** The text of an element with no child elements; null (and the element skipped) otherwise. */
    private static String leafText(XMLStreamReader r) throws XMLStreamException {
        StringBuilder b = new StringBuilder();
        int depth = 1;
        boolean leaf = true;
        while (depth > 0 && r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
                leaf = false;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (e == XMLStreamConstants.CHARACTERS && depth == 1) {
                b.append(r.getText());
            }
        }
        return leaf ? b.toString() : null;
    }

    private static void put(Map<String, String> data, String name, String value) throws MalformedEventException {
        if (data.size() >= MAX_FIELDS) {
            throw new MalformedEventException("event with more than " + MAX_FIELDS + " fields");
        }
        data.putIfAbsent(name, value);
    }

    /** {@code 2016-09-19T16:52:49.161271000Z} (Windows) or {@code 2019-03-19 23:35:07.524200} (python-evtx, UTC). */
    public static Instant systemTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.endsWith("Z")) {
                return Instant.parse(t);
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}

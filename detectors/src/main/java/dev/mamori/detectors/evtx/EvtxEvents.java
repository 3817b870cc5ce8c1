package dev.mamori.detectors.evtx;

import dev.mamori.detectors.windows.WindowsEvent;
import dev.mamori.detectors.windows.WindowsXmlParser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record's tree as a {@link WindowsEvent}, read the way {@link WindowsXmlParser} reads event XML
 * (System fields; each {@code <Data Name="X">} of EventData; each leaf child of UserData's element),
 * so that a rule sees the same event from an EVTX file as from a forwarder. The event's original
 * text is the record rendered as XML.
 */
final class EvtxEvents {

    /** As many fields as an XML event may carry. */
    static final int MAX_FIELDS = 512;

    private EvtxEvents() {}

    static WindowsEvent event(List<XmlNode> tree, long recordId, Instant written) throws EvtxFormatException {
        XmlNode.Element root = null;
        for (XmlNode n : tree) {
            if (n instanceof XmlNode.Element e && e.name().equals("Event")) {
                root = e;
                break;
            }
        }
        if (root == null) {
            throw new EvtxFormatException("record without an <Event> element");
        }
        int eventId = -1;
        String provider = null;
        String channel = null;
        String computer = null;
        Instant time = null;
        long record = recordId;
        Map<String, String> data = new LinkedHashMap<>();
        int unnamed = 0;
        for (XmlNode section : root.children()) {
            if (!(section instanceof XmlNode.Element s)) {
                continue;
            }
            switch (s.name()) {
                case "System" -> {
                    for (XmlNode n : s.children()) {
                        if (!(n instanceof XmlNode.Element e)) {
                            continue;
                        }
                        switch (e.name()) {
                            case "Provider" -> provider = attribute(e, "Name");
                            case "TimeCreated" -> time = WindowsXmlParser.systemTime(attribute(e, "SystemTime"));
                            case "EventID" -> eventId = (int) WindowsEvent.parseNumber(text(e));
                            case "EventRecordID" -> {
                                long r = WindowsEvent.parseNumber(text(e));
                                record = r >= 0 ? r : recordId;
                            }
                            case "Channel" -> channel = text(e).strip();
                            case "Computer" -> computer = text(e).strip();
                            default -> {
                                // Version, Level, Task, Keywords, Correlation, Execution, Security: not used
                            }
                        }
                    }
                }
                case "EventData" -> {
                    for (XmlNode n : s.children()) {
                        if (n instanceof XmlNode.Element d && d.name().equals("Data")) {
                            String name = attribute(d, "Name");
                            put(data, name == null ? "Data" + (++unnamed) : name, text(d));
                        }
                    }
                }
                case "UserData" -> {
                    for (XmlNode inner : s.children()) {
                        if (inner instanceof XmlNode.Element u) {
                            for (XmlNode n : u.children()) {
                                if (n instanceof XmlNode.Element leaf && isLeaf(leaf)) {
                                    put(data, leaf.name(), text(leaf));
                                }
                            }
                        }
                    }
                }
                default -> {
                    // RenderingInfo and others: not used
                }
            }
        }
        if (eventId < 0) {
            throw new EvtxFormatException("event without an EventID");
        }
        return new WindowsEvent(
                eventId, provider, channel, computer, time != null ? time : written, record, data, "evtx", xml(root));
    }

    private static void put(Map<String, String> data, String name, String value) throws EvtxFormatException {
        if (data.size() >= MAX_FIELDS) {
            throw new EvtxFormatException("event with more than " + MAX_FIELDS + " fields");
        }
        data.putIfAbsent(name, value);
    }

    private static boolean isLeaf(XmlNode.Element e) {
        for (XmlNode c : e.children()) {
            if (c instanceof XmlNode.Element) {
                return false;
            }
        }
        return true;
    }

    /** The text directly inside an element. */
    static String text(XmlNode.Element e) {
        if (e.children().size() == 1 && e.children().get(0) instanceof XmlNode.Text t) {
            return t.text();
        }
        StringBuilder b = new StringBuilder();
        for (XmlNode c : e.children()) {
            if (c instanceof XmlNode.Text t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }

    static String attribute(XmlNode.Element e, String name) {
        for (XmlNode.Attribute a : e.attributes()) {
            if (a.name().equals(name)) {
                StringBuilder b = new StringBuilder();
                for (XmlNode v : a.value()) {
                    if (v instanceof XmlNode.Text t) {
                        b.append(t.text());
                    }
                }
                return b.toString();
            }
        }
        return null;
    }

    /** The element as XML text (what {@code event.original} shows). */
    static String xml(XmlNode.Element root) {
        StringBuilder b = new StringBuilder(1024);
        render(root, b);
        return b.toString();
    }

    private static void render(XmlNode.Element e, StringBuilder b) {
        b.append('<').append(e.name());
        for (XmlNode.Attribute a : e.attributes()) {
            String v = attribute(e, a.name());
            b.append(' ').append(a.name()).append("=\"");
            escape(v, b, true);
            b.append('"');
        }
        if (e.children().isEmpty()) {
            b.append("/>");
            return;
        }
        b.append('>');
        for (XmlNode c : e.children()) {
            if (c instanceof XmlNode.Element ce) {
                render(ce, b);
            } else if (c instanceof XmlNode.Text t) {
                escape(t.text(), b, false);
            }
        }
        b.append("</").append(e.name()).append('>');
    }

    private static void escape(String s, StringBuilder b, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append("&#x").append(Integer.toHexString(c)).append(';');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}

package dev.mamori.detectors.evtx;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Binary XML of one chunk's records into {@link XmlNode} trees. Names and template
 * definitions are referred to by their offset in the chunk and read once (a chunk's records share
 * them); a template instance is materialised by putting its values in place of the template's
 * substitutions, values of type Binary XML being read as nested fragments.
 *
 * <p>Bounded against hostile files: nesting depth ({@value #MAX_DEPTH}, counting nested fragments
 * and templates), nodes per record ({@value #MAX_NODES}), and every offset checked against the
 * chunk. Not thread-safe: one per chunk.
 */
final class BinXml {

    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 50_000;

    private static final int EOF = 0x00;
    private static final int OPEN_START_ELEMENT = 0x01;
    private static final int CLOSE_START_ELEMENT = 0x02;
    private static final int CLOSE_EMPTY_ELEMENT = 0x03;
    private static final int END_ELEMENT = 0x04;
    private static final int VALUE = 0x05;
    private static final int ATTRIBUTE = 0x06;
    private static final int CDATA = 0x07;
    private static final int CHAR_REF = 0x08;
    private static final int ENTITY_REF = 0x09;
    private static final int PI_TARGET = 0x0a;
    private static final int PI_DATA = 0x0b;
    private static final int TEMPLATE_INSTANCE = 0x0c;
    private static final int NORMAL_SUBSTITUTION = 0x0d;
    private static final int OPTIONAL_SUBSTITUTION = 0x0e;
    private static final int FRAGMENT_HEADER = 0x0f;
    /** The token flag: more follows (attributes of an element, another attribute, ...). */
    private static final int MORE = 0x40;

    private final ByteBuffer chunk;
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, List<XmlNode>> templates = new HashMap<>();
    private int pos;
    private int nodes;

    BinXml(ByteBuffer chunk) {
        this.chunk = chunk;
    }

    /** The record's tree: the nodes of the fragment at {@code start}, ending before {@code end}. */
    List<XmlNode> record(int start, int end) throws EvtxFormatException {
        nodes = 0;
        pos = start;
        List<XmlNode> out = fragment(end, 0);
        return out;
    }

    /** A fragment (optional header, then content) up to its end-of-stream token or {@code end}. */
    private List<XmlNode> fragment(int end, int depth) throws EvtxFormatException {
        if (depth > MAX_DEPTH) {
            throw new EvtxFormatException("Binary XML nested deeper than " + MAX_DEPTH);
        }
        List<XmlNode> out = new ArrayList<>(1);
        while (pos < end) {
            int token = u8();
            switch (token & ~MORE) {
                case EOF -> {
                    return out;
                }
                case FRAGMENT_HEADER -> pos += 3; // major, minor, flags
                case OPEN_START_ELEMENT -> out.add(element(token, end, depth + 1));
                case TEMPLATE_INSTANCE -> out.addAll(templateInstance(end, depth + 1));
                default ->
                    throw new EvtxFormatException(
                            "unexpected token 0x" + Integer.toHexString(token) + " at top level, offset " + (pos - 1));
            }
        }
        return out;
    }

    private XmlNode.Element element(int token, int end, int depth) throws EvtxFormatException {
        if (depth > MAX_DEPTH) {
            throw new EvtxFormatException("element nested deeper than " + MAX_DEPTH);
        }
        count();
        int tokenStart = pos - 1;
        pos += 2; // dependency identifier
        int size = i32();
        if (size < 0 || pos + size > chunk.limit()) {
            throw new EvtxFormatException("element of " + size + " bytes runs past the chunk");
        }
        String name = name(tokenStart);
        if ((token & MORE) != 0) {
            pos += 4; // size of the attribute list
        }
        List<XmlNode.Attribute> attributes = new ArrayList<>(0);
        List<XmlNode> children = new ArrayList<>(1);
        // attributes, then close-start (children follow) or close-empty
        while (true) {
            int t = u8();
            int kind = t & ~MORE;
            if (kind == ATTRIBUTE) {
                count();
                int attrStart = pos - 1;
                String attrName = name(attrStart);
                attributes.add(new XmlNode.Attribute(attrName, List.of(value(end, depth))));
            } else if (kind == CLOSE_EMPTY_ELEMENT) {
                return new XmlNode.Element(name, attributes, children);
            } else if (kind == CLOSE_START_ELEMENT) {
                break;
            } else {
                throw new EvtxFormatException("unexpected token 0x" + Integer.toHexString(t) + " in a start tag");
            }
        }
        while (true) {
            if (pos >= end) {
                throw new EvtxFormatException("element <" + name + "> not closed");
            }
            int t = u8();
            switch (t & ~MORE) {
                case END_ELEMENT -> {
                    return new XmlNode.Element(name, attributes, children);
                }
                case OPEN_START_ELEMENT -> children.add(element(t, end, depth + 1));
                case VALUE, NORMAL_SUBSTITUTION, OPTIONAL_SUBSTITUTION, CHAR_REF, ENTITY_REF, CDATA -> {
                    pos--;
                    children.add(value(end, depth));
                }
                case PI_TARGET -> {
                    pos += 4;
                }
                case PI_DATA -> {
                    int chars = u16();
                    pos += 2 * chars;
                }
                case TEMPLATE_INSTANCE -> children.addAll(templateInstance(end, depth + 1));
                default ->
                    throw new EvtxFormatException(
                            "unexpected token 0x" + Integer.toHexString(t) + " in <" + name + ">");
            }
        }
    }

    /** One content item: text, a substitution, a character or entity reference. */
    private XmlNode value(int end, int depth) throws EvtxFormatException {
        int t = u8();
        switch (t & ~MORE) {
            case VALUE -> {
                int type = u8();
                if (type != Values.STRING) {
                    throw new EvtxFormatException("value token of type 0x" + Integer.toHexString(type));
                }
                int chars = u16();
                String s = Values.utf16(chunk, pos, chars);
                pos += 2 * chars;
                return new XmlNode.Text(s);
            }
            case CDATA -> {
                int chars = u16();
                String s = Values.utf16(chunk, pos, chars);
                pos += 2 * chars;
                return new XmlNode.Text(s);
            }
            case NORMAL_SUBSTITUTION, OPTIONAL_SUBSTITUTION -> {
                int index = u16();
                int type = u8();
                return new XmlNode.Substitution(index, type, (t & ~MORE) == OPTIONAL_SUBSTITUTION);
            }
            case CHAR_REF -> {
                return new XmlNode.Text(String.valueOf((char) u16()));
            }
            case ENTITY_REF -> {
                String entity = name(pos - 1);
                return new XmlNode.Text(
                        switch (entity) {
                            case "lt" -> "<";
                            case "gt" -> ">";
                            case "amp" -> "&";
                            case "quot" -> "\"";
                            case "apos" -> "'";
                            default -> "&" + entity + ";";
                        });
            }
            default -> throw new EvtxFormatException("unexpected token 0x" + Integer.toHexString(t) + " as a value");
        }
    }

    /**
     * A name by its offset; when the offset is past the token that names it, the name is written
     * right here and is stepped over.
     */
    private String name(int tokenStart) throws EvtxFormatException {
        int offset = i32();
        if (offset > tokenStart) {
            if (offset != pos) {
                throw new EvtxFormatException("name at " + offset + " expected inline at " + pos);
            }
            String s = readName(offset);
            pos = offset + 8 + 2 * (chunk.getShort(offset + 6) & 0xffff) + 2;
            return s;
        }
        return readName(offset);
    }

    private String readName(int offset) throws EvtxFormatException {
        String cached = names.get(offset);
        if (cached != null) {
            return cached;
        }
        if (offset < 0 || offset + 8 > chunk.limit()) {
            throw new EvtxFormatException("name offset " + offset + " outside the chunk");
        }
        int chars = chunk.getShort(offset + 6) & 0xffff;
        String s = Values.utf16(chunk, offset + 8, chars);
        names.put(offset, s);
        return s;
    }

    /** A template instance: its definition (inline the first time), then its values put in place. */
    private List<XmlNode> templateInstance(int end, int depth) throws EvtxFormatException {
        if (depth > MAX_DEPTH) {
            throw new EvtxFormatException("templates nested deeper than " + MAX_DEPTH);
        }
        int tokenStart = pos - 1;
        pos += 1; // unknown
        pos += 4; // template identifier
        int definition = i32();
        List<XmlNode> template;
        if (definition > tokenStart) {
            if (definition != pos) {
                throw new EvtxFormatException("template at " + definition + " expected inline at " + pos);
            }
            template = defineTemplate(definition, depth);
            pos = definition + 24 + chunk.getInt(definition + 20);
        } else {
            template = templates.get(definition);
            if (template == null) {
                int saved = pos;
                template = defineTemplate(definition, depth);
                pos = saved;
            }
        }
        int count = i32();
        if (count < 0 || count > 10_000 || pos + 4L * count > chunk.limit()) {
            throw new EvtxFormatException("template instance with " + count + " values");
        }
        int[] sizes = new int[count];
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = u16();
            types[i] = u8();
            pos++;
        }
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = pos;
            pos += sizes[i];
        }
        if (pos > chunk.limit()) {
            throw new EvtxFormatException("template values run past the chunk");
        }
        int after = pos;
        List<XmlNode> out = new ArrayList<>(template.size());
        for (XmlNode n : template) {
            XmlNode done = fill(n, sizes, types, starts, depth);
            if (done != null) {
                out.add(done);
            }
        }
        pos = after;
        return out;
    }

    /** Reads the template definition at {@code offset} (next offset, GUID, size, fragment) once. */
    private List<XmlNode> defineTemplate(int offset, int depth) throws EvtxFormatException {
        List<XmlNode> known = templates.get(offset);
        if (known != null) {
            return known;
        }
        if (offset < 0 || offset + 24 > chunk.limit()) {
            throw new EvtxFormatException("template offset " + offset + " outside the chunk");
        }
        int size = chunk.getInt(offset + 20);
        int start = offset + 24;
        if (size < 0 || start + size > chunk.limit()) {
            throw new EvtxFormatException("template of " + size + " bytes runs past the chunk");
        }
        // a definition being read is not yet usable: a template that names itself fails here
        templates.put(offset, List.of());
        pos = start;
        List<XmlNode> body = fragment(start + size, depth + 1);
        templates.put(offset, body);
        return body;
    }

    /** The template node with the instance's values in place of its substitutions. */
    private XmlNode fill(XmlNode n, int[] sizes, int[] types, int[] starts, int depth) throws EvtxFormatException {
        count();
        if (n instanceof XmlNode.Text) {
            return n;
        }
        if (n instanceof XmlNode.Substitution s) {
            if (s.index() >= sizes.length) {
                throw new EvtxFormatException("substitution " + s.index() + " of " + sizes.length + " values");
            }
            int type = types[s.index()];
            int size = sizes[s.index()];
            if (type == Values.NULL || s.optional() && size == 0) {
                return null;
            }
            if (type == Values.BINXML) {
                int saved = pos;
                pos = starts[s.index()];
                List<XmlNode> nested = fragment(starts[s.index()] + size, depth + 1);
                pos = saved;
                return nested.size() == 1 ? nested.get(0) : new XmlNode.Element("", List.of(), nested);
            }
            String text = Values.text(chunk, starts[s.index()], size, type);
            return text == null ? null : new XmlNode.Text(text);
        }
        XmlNode.Element e = (XmlNode.Element) n;
        List<XmlNode.Attribute> attrs = new ArrayList<>(e.attributes().size());
        for (XmlNode.Attribute a : e.attributes()) {
            List<XmlNode> v = new ArrayList<>(1);
            for (XmlNode part : a.value()) {
                XmlNode f = fill(part, sizes, types, starts, depth);
                if (f != null) {
                    v.add(f);
                }
            }
            attrs.add(new XmlNode.Attribute(a.name(), v));
        }
        List<XmlNode> children = new ArrayList<>(e.children().size());
        for (XmlNode c : e.children()) {
            if (c instanceof XmlNode.Substitution s && arrayIn(s, types)) {
                // as Windows renders it: the element once per item (<Data>a</Data><Data>b</Data>)
                List<String> items = Values.items(chunk, starts[s.index()], sizes[s.index()], types[s.index()]);
                List<XmlNode> copies = new ArrayList<>(items.size());
                for (String item : items) {
                    copies.add(new XmlNode.Element(e.name(), attrs, List.of(new XmlNode.Text(item))));
                }
                return copies.size() == 1 ? copies.get(0) : new XmlNode.Element("", List.of(), copies);
            }
            XmlNode f = fill(c, sizes, types, starts, depth);
            if (f instanceof XmlNode.Element fe && fe.name().isEmpty()) {
                children.addAll(fe.children()); // a nested fragment, or an element repeated per item
            } else if (f != null) {
                children.add(f);
            }
        }
        return new XmlNode.Element(e.name(), attrs, children);
    }

    private static boolean arrayIn(XmlNode.Substitution s, int[] types) {
        return s.index() < types.length && (types[s.index()] & Values.ARRAY) != 0;
    }

    private void count() throws EvtxFormatException {
        if (++nodes > MAX_NODES) {
            throw new EvtxFormatException("record with more than " + MAX_NODES + " nodes");
        }
    }

    private int u8() throws EvtxFormatException {
        check(1);
        return chunk.get(pos++) & 0xff;
    }

    private int u16() throws EvtxFormatException {
        check(2);
        int v = chunk.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    private int i32() throws EvtxFormatException {
        check(4);
        int v = chunk.getInt(pos);
        pos += 4;
        return v;
    }

    private void check(int n) throws EvtxFormatException {
        if (pos < 0 || pos + n > chunk.limit()) {
            throw new EvtxFormatException("Binary XML runs past the chunk at offset " + pos);
        }
    }
}

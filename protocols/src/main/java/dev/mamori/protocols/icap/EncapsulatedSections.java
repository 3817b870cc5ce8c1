package dev.mamori.protocols.icap;

import java.util.List;

/**
 * What an {@code Encapsulated} header (RFC 3507 4.4.1) says, e.g. {@code req-hdr=0, req-body=123}:
 * where the HTTP request head lies in the header sections that follow the ICAP head, whether a
 * chunked body comes after them, and how long the sections are.
 *
 * @param reqHdrStart where the request head starts, or -1 when there is none
 * @param reqHdrEnd where the section after the request head starts, or -1 when it is the last
 * @param body whether a chunked body follows ({@code req-body} or {@code res-body})
 * @param length the sections' length: the offset of the body entity, which always comes last
 */
record EncapsulatedSections(int reqHdrStart, int reqHdrEnd, boolean body, int length) {

    /** No sections and no body (an OPTIONS request without the header). */
    static final EncapsulatedSections NONE = new EncapsulatedSections(-1, -1, false, 0);

    private static final List<String> NAMES =
            List.of("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body");

    /**
     * Reads the header's value by position: the same values {@code split(",")}, {@code strip} and
     * {@code parseInt} of the pieces accepted, without a String for each (they were a tenth of what
     * decoding a request cost). Names are case-insensitive; offsets start at 0 and never go down;
     * the last entity is a body.
     *
     * @return null when the value is malformed
     */
    static EncapsulatedSections parse(String value) {
        int reqHdrStart = -1;
        int reqHdrEnd = -1;
        int last = -1;
        String lastName = null;
        int limit = value.length();
        while (limit > 0 && value.charAt(limit - 1) == ',') {
            limit--; // split drops empty pieces at the end
        }
        for (int from = 0; from <= limit; ) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 || comma > limit ? limit : comma;
            int eq = value.indexOf('=', from);
            if (eq < 0 || eq >= to) {
                return null;
            }
            int nameStart = HeadLines.trimStart(value, from, eq);
            String name = name(value, nameStart, HeadLines.trimEnd(value, nameStart, eq));
            int numberStart = HeadLines.trimStart(value, eq + 1, to);
            int offset;
            try {
                offset = Integer.parseInt(value, numberStart, HeadLines.trimEnd(value, numberStart, to), 10);
            } catch (NumberFormatException e) {
                return null;
            }
            if (name == null || offset < 0 || offset < last || (lastName == null && offset != 0)) {
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
            from = to + 1;
        }
        if (lastName == null || !lastName.endsWith("-body")) {
            return null;
        }
        boolean body = lastName.equals("req-body") || lastName.equals("res-body");
        return new EncapsulatedSections(reqHdrStart, reqHdrEnd, body, last);
    }

    /** The entity name {@code value[from, to)} is, in any case, or null. */
    private static String name(String value, int from, int to) {
        for (String n : NAMES) {
            if (n.length() == to - from && value.regionMatches(true, from, n, 0, n.length())) {
                return n;
            }
        }
        return null;
    }
}

package dev.mamori.sensor.ingest;

import java.io.IOException;

/**
 * The records of a log file for {@code analyze}: one line each, except Windows Event XML, where an
 * {@code <Event>} spanning several lines (as Event Viewer, {@code wevtutil} and python-evtx write
 * them) is one record, and the {@code <?xml?>} / {@code <Events>} wrapper lines are skipped. An event
 * longer than {@code maxRecordChars} is skipped and counted like an overlong line.
 */
public final class RecordReader {

    private final BoundedLineReader lines;
    private final int maxRecordChars;
    private long lineCount;
    private long tooLong;
    private long structural;

    public RecordReader(BoundedLineReader lines, int maxRecordChars) {
        this.lines = lines;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record, or null at the end. Blank lines come back as empty strings. */
    public String next() throws IOException {
        while (true) {
            String line = lines.next();
            if (line == null) {
                return null;
            }
            lineCount++;
            String t = line.strip();
            if (t.startsWith("<?xml") || t.equals("<Events>") || t.startsWith("<Events ") || t.equals("</Events>")) {
                structural++;
                continue;
            }
            if (!(t.startsWith("<Event>") || t.startsWith("<Event ")) || t.contains("</Event>")) {
                return line;
            }
            StringBuilder event = new StringBuilder(line);
            boolean over = false;
            while (true) {
                String more = lines.next();
                if (more == null) {
                    break;
                }
                lineCount++;
                if (!over) {
                    if (event.length() + more.length() + 1 > maxRecordChars) {
                        over = true;
                        event.setLength(0);
                    } else {
                        event.append('\n').append(more);
                    }
                }
                if (more.contains("</Event>")) {
                    break;
                }
            }
            if (over) {
                tooLong++;
                continue;
            }
            return event.toString();
        }
    }

    public long lines() {
        return lineCount;
    }

    /** Records skipped for length: overlong lines and overlong events. */
    public long tooLong() {
        return tooLong + lines.tooLong();
    }

    /** XML declaration and {@code <Events>} wrapper lines skipped. */
    public long structural() {
        return structural;
    }
}

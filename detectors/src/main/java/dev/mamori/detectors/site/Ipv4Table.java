package dev.mamori.detectors.site;

/**
 * IPv4 network addresses of one prefix length and the entry text each came from: an open-addressing
 * table of plain {@code int} keys. {@link IpSet} asks one of these per prefix length for every
 * address a firewall line names; a {@code HashMap<Integer, String>} boxed the key of every probe
 * (and kept two objects an entry, which counts with 300,000 indicators).
 */
final class Ipv4Table {

    private int[] keys;
    /** Null marks a free slot (a text is never null), so that every int, 0 included, can be a key. */
    private String[] values;

    private int size;
    private int shift;

    Ipv4Table() {
        keys = new int[8];
        values = new String[8];
        shift = 32 - 3;
    }

    int size() {
        return size;
    }

    /** The text for {@code key}, or null. */
    String get(int key) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            String v = values[i];
            if (v == null || keys[i] == key) {
                return v;
            }
        }
    }

    /** Keeps the first text given for a key, as {@code Map.putIfAbsent} does. */
    void putIfAbsent(int key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            if (keys[i] == key) {
                return;
            }
        }
    }

    /**
     * Fibonacci hashing: the top bits of the product. Network addresses end in zero bits (they are
     * masked to their prefix), which a table indexed by low bits would pile into one slot.
     */
    private int slot(int key) {
        return (key * 0x9E3779B9) >>> shift;
    }

    private void grow() {
        int[] oldKeys = keys;
        String[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new String[oldValues.length * 2];
        shift--;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                putIfAbsent(oldKeys[i], oldValues[i]);
            }
        }
    }
}

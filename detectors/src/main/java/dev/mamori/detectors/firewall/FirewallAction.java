package dev.mamori.detectors.firewall;

import java.util.Locale;

/** What the firewall did with the traffic. Everything but {@link #ALLOW} means it was blocked. */
public enum FirewallAction {
    ALLOW,
    DENY,
    DROP,
    REJECT;

    public boolean blocked() {
        return this != ALLOW;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Maps a vendor's action word: deny/block/drop/reject families and their past tenses, reset
     * variants as reject; allow/accept/permit/pass families as allow. Null when the word is unknown.
     */
    public static FirewallAction fromWord(String word) {
        if (word == null) {
            return null;
        }
        String w = word.strip().toLowerCase(Locale.ROOT);
        if (w.startsWith("deny") || w.startsWith("denied") || w.startsWith("block")) {
            return DENY;
        }
        if (w.startsWith("drop") || w.equals("discard") || w.equals("discarded")) {
            return DROP;
        }
        if (w.startsWith("reject") || w.startsWith("reset")) {
            return REJECT;
        }
        if (w.startsWith("allow")
                || w.startsWith("accept")
                || w.startsWith("permit")
                || w.startsWith("pass")
                || w.equals("built")
                || w.equals("close")
                || w.equals("est-allowed")) {
            return ALLOW;
        }
        return null;
    }
}

package dev.mamori.detectors.alert;

import java.util.Locale;

/** Languages of the message catalog ({@code site.language}). */
public enum Language {
    EN,
    JA;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Language fromCode(String code) {
        for (Language l : values()) {
            if (l.code().equalsIgnoreCase(code)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown language '" + code + "' (en, ja)");
    }
}

package dev.mamori.detectors.mail;

import java.util.Locale;
import java.util.Set;

/** What makes an attachment executable: its extension, hidden tricks in its name, or its type. */
public final class Executables {

    /** The default list of executable extensions (detector option {@code extensions}). */
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of(
            "exe", "com", "scr", "pif", "bat", "cmd", "cpl", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi",
            "msp", "lnk", "ps1", "jar", "dll", "reg", "iso", "img", "vhd", "vhdx");

    private static final Set<String> TYPES = Set.of(
            "application/x-msdownload",
            "application/x-msdos-program",
            "application/x-dosexec",
            "application/x-executable",
            "application/hta",
            "application/x-ms-shortcut",
            "application/x-msi",
            "application/x-ms-installer");

    private Executables() {}

    static boolean isExecutableType(String type) {
        return TYPES.contains(type);
    }

    /** Right-to-left override and other invisible characters used to disguise an extension. */
    static boolean hasInvisible(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= '\u200B' && c <= '\u200F')
                    || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069')
                    || c == '\uFEFF'
                    || c == '\u00AD') {
                return true;
            }
        }
        return false;
    }

    static String withoutInvisible(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!hasInvisible(String.valueOf(c))) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The last extension, lower case, trailing dots and spaces ignored (Windows ignores them too). */
    static String extension(String name) {
        String n = name.strip();
        while (n.endsWith(".") || n.endsWith(" ")) {
            n = n.substring(0, n.length() - 1);
        }
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The extension before the last one ("pdf" in "invoice.pdf.exe"), or empty. */
    static String previousExtension(String name) {
        String n = name.strip();
        int last = n.lastIndexOf('.');
        if (last <= 0) {
            return "";
        }
        int prev = n.lastIndexOf('.', last - 1);
        return prev < 0 ? "" : n.substring(prev + 1, last).toLowerCase(Locale.ROOT);
    }
}

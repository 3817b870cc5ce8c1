package dev.mamori.detectors.windows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Snare's {@code MSWinEventLog} format: tab-separated (or {@code #011}, as rsyslog escapes tabs)
 * {@code MSWinEventLog, criticality, log, counter, date, event id, source, user, SID type, event
 * type, computer, category, data, expanded message[, counter]}. Snare carries the rendered message,
 * not the XML, so the fields the detections need are read back from its labels ("Account Name:",
 * "Failure Code:", ...) and the section each label stands in ("Subject:" or "New Logon:").
 */
public final class SnareParser {

    private static final String MARK = "MSWinEventLog";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    /** Section headers; the ones in TARGET_SECTIONS name the account the event is about. */
    private static final List<String> SECTIONS = List.of(
            "Subject:",
            "New Logon:",
            "Account For Which Logon Failed:",
            "Account Information:",
            "Account Whose Credentials Were Used:",
            "Logon Information:",
            "Failure Information:",
            "Network Information:",
            "Service Information:",
            "Additional Information:",
            "Task Information:",
            "Process Information:",
            "Detailed Authentication Information:",
            "Target Server:",
            "Certificate Information:");

    private static final Set<String> TARGET_SECTIONS = Set.of(
            "New Logon:",
            "Account For Which Logon Failed:",
            "Account Information:",
            "Account Whose Credentials Were Used:");

    /** Label -> field; "@" marks labels whose field depends on the section (Subject* or Target*). */
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("Security ID:", "@UserSid");
        LABELS.put("Account Name:", "@UserName");
        LABELS.put("Account Domain:", "@DomainName");
        LABELS.put("Logon ID:", "@LogonId");
        LABELS.put("Logon Type:", "LogonType");
        LABELS.put("Workstation Name:", "WorkstationName");
        LABELS.put("Source Network Address:", "IpAddress");
        LABELS.put("Source Port:", "IpPort");
        LABELS.put("Client Address:", "IpAddress");
        LABELS.put("Client Port:", "IpPort");
        LABELS.put("Sub Status:", "SubStatus");
        LABELS.put("Status:", "Status");
        LABELS.put("Failure Code:", "Status");
        LABELS.put("Result Code:", "Status");
        LABELS.put("Error Code:", "Status");
        LABELS.put("Failure Reason:", "FailureReason");
        LABELS.put("Logon Account:", "TargetUserName");
        LABELS.put("Source Workstation:", "Workstation");
        LABELS.put("Service Name:", "ServiceName");
        LABELS.put("Service ID:", "ServiceSid");
        LABELS.put("Ticket Options:", "TicketOptions");
        LABELS.put("Ticket Encryption Type:", "TicketEncryptionType");
        LABELS.put("Pre-Authentication Type:", "PreAuthType");
        LABELS.put("Task Name:", "TaskName");
        LABELS.put("Task Content:", "TaskContent");
        LABELS.put("Privileges:", "PrivilegeList");
        LABELS.put("Logon Process:", "LogonProcessName");
        LABELS.put("Authentication Package:", "AuthenticationPackageName");
        LABELS.put("Process Name:", "ProcessName");
    }

    /** Every label and section header, longest first, so "Sub Status:" wins over "Status:". */
    private static final List<String> ALL;

    static {
        List<String> all = new ArrayList<>(LABELS.keySet());
        all.addAll(SECTIONS);
        all.sort(Comparator.comparingInt(String::length).reversed());
        ALL = List.copyOf(all);
    }

    private final ZoneId deviceZone;

    public SnareParser(ZoneId deviceZone) {
        this.deviceZone = deviceZone;
    }

    /**
     * @return null when the message is not Snare's
     * @throws MalformedEventException when it is, but lacks the columns
     */
    public WindowsEvent parse(String message) throws MalformedEventException {
        int start = message.indexOf(MARK);
        if (start < 0) {
            return null;
        }
        String body = message.substring(start);
        String[] f = body.indexOf('\t') >= 0 ? body.split("\t", -1) : body.split("#011", -1);
        if (f.length < 14) {
            throw new MalformedEventException("MSWinEventLog record with " + f.length + " of 14 columns");
        }
        int id = (int) WindowsEvent.parseNumber(f[5].strip());
        if (id < 0) {
            throw new MalformedEventException("MSWinEventLog record without an event id: '" + f[5] + "'");
        }
        Map<String, String> data = labelled(f[13]);
        return new WindowsEvent(id, f[6].strip(), f[2].strip(), f[10].strip(), time(f[4]), -1, data, "snare", body);
    }

    /** Reads "Label:  value" pairs out of a rendered message, by section. */
    static Map<String, String> labelled(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        String section = null;
        String pendingField = null;
        int valueStart = 0;
        int i = 0;
        while (i <= text.length()) {
            String label = i < text.length() ? labelAt(text, i) : "";
            if (label != null) {
                if (pendingField != null) {
                    String value = text.substring(valueStart, i).strip();
                    data.putIfAbsent(pendingField, value);
                }
                if (i == text.length()) {
                    break;
                }
                pendingField = null;
                if (SECTIONS.contains(label)) {
                    section = label;
                } else {
                    String field = LABELS.get(label);
                    if (field.startsWith("@")) {
                        field = (section != null && TARGET_SECTIONS.contains(section) ? "Target" : "Subject")
                                + field.substring(1);
                    }
                    pendingField = field;
                }
                i += label.length();
                valueStart = i;
            } else {
                i++;
            }
        }
        return data;
    }

    /** The label starting at {@code i} after whitespace (or at the start), or null. */
    private static String labelAt(String text, int i) {
        if (i > 0 && !Character.isWhitespace(text.charAt(i - 1))) {
            return null;
        }
        for (String l : ALL) {
            if (text.startsWith(l, i)) {
                return l;
            }
        }
        return null;
    }

    private Instant time(String text) {
        try {
            return LocalDateTime.parse(text.strip().replaceAll("\\s+", " "), TIME)
                    .atZone(deviceZone)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

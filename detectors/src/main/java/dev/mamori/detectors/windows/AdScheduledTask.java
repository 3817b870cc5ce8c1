package dev.mamori.detectors.windows;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code ad.scheduled_task}: a scheduled task was created (4698 in the Security log, or 106 in the
 * Task Scheduler operational log); attackers use tasks for remote execution and persistence. High when the action runs from a user-writable folder or through a
 * script host, medium otherwise. The command is read from the task XML in {@code TaskContent}.
 */
public final class AdScheduledTask implements Detection<WindowsEvent> {

    public static final Rule RULE = new Rule("ad.scheduled_task", Severity.MEDIUM, "T1053.005");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<WindowsEvent> SPEC = RuleSpec.of(
            RULE, WindowsEvent.class, (ctx, o) -> new AdScheduledTask(ctx.alerts(), ctx.input(), ctx.clock()));

    private static final List<String> USER_WRITABLE = List.of(
            "\\temp\\",
            "\\tmp\\",
            "\\appdata\\",
            "\\users\\public\\",
            "\\programdata\\",
            "\\downloads\\",
            "%temp%",
            "%tmp%",
            "%appdata%",
            "%localappdata%",
            "%public%",
            "%programdata%",
            "%userprofile%");
    private static final List<String> SCRIPT_HOSTS = List.of(
            "cmd",
            "powershell",
            "pwsh",
            "mshta",
            "rundll32",
            "regsvr32",
            "wscript",
            "cscript",
            "certutil",
            "bitsadmin");

    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public AdScheduledTask(AlertFactory alerts, ObserverInput input, Clock clock) {
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(WindowsEvent e, AlertSink sink) {
        if (e.eventId() == 106 && "Microsoft-Windows-TaskScheduler".equalsIgnoreCase(e.provider())) {
            registered(e, sink);
            return;
        }
        if (e.eventId() != 4698) {
            return;
        }
        String content = e.field("TaskContent");
        String command = (element(content, "Command") + " " + element(content, "Arguments")).strip();
        String author = e.field("SubjectUserName");
        String domain = e.field("SubjectDomainName");
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .severity(risky(command) ? Severity.HIGH : Severity.MEDIUM)
                .field(AlertField.USER_NAME, author)
                .field(AlertField.USER_DOMAIN, domain)
                .field(AlertField.FILE_NAME, element(content, "Command"))
                .args(
                        e.field("TaskName"),
                        e.computer(),
                        (domain == null ? "" : domain + "\\") + author,
                        command.isEmpty() ? alerts.catalog().text("no_command") : command)
                .build());
    }

    /**
     * 106 of the Task Scheduler operational log (task registered): it names the task and the user
     * context but not the command, so it is medium; forwarders that skip the Security log's 4698
     * still show the task.
     */
    private void registered(WindowsEvent e, AlertSink sink) {
        String user = e.field("UserContext");
        int slash = user == null ? -1 : user.lastIndexOf('\\');
        sink.emit(WindowsAlerts.start(alerts, RULE, input, e, clock)
                .field(AlertField.USER_NAME, slash < 0 ? user : user.substring(slash + 1))
                .field(AlertField.USER_DOMAIN, slash < 0 ? null : user.substring(0, slash))
                .args(
                        e.field("TaskName"),
                        e.computer(),
                        user == null ? "?" : user,
                        alerts.catalog().text("no_command"))
                .build());
    }

    /** A user-writable folder, or a script host as the program. */
    static boolean risky(String command) {
        String c = command.toLowerCase(Locale.ROOT).replace('/', '\\');
        for (String p : USER_WRITABLE) {
            if (c.contains(p)) {
                return true;
            }
        }
        String program = c.startsWith("\"") ? c.substring(1, Math.max(1, c.indexOf('"', 1))) : c.split(" ", 2)[0];
        String base = program.substring(program.lastIndexOf('\\') + 1);
        if (base.endsWith(".exe")) {
            base = base.substring(0, base.length() - 4);
        }
        return SCRIPT_HOSTS.contains(base);
    }

    /** The text of {@code <name>...</name>} in the task XML, unescaped; empty when absent. */
    static String element(String xml, String name) {
        if (xml == null) {
            return "";
        }
        int start = xml.indexOf("<" + name + ">");
        int end = start < 0 ? -1 : xml.indexOf("</" + name + ">", start);
        if (end < 0) {
            return "";
        }
        return xml.substring(start + name.length() + 2, end)
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .strip();
    }
}

package dev.mamori.detectors.mail;

import dev.mamori.detectors.alert.AlertFactory;
import dev.mamori.detectors.alert.AlertField;
import dev.mamori.detectors.alert.AlertSink;
import dev.mamori.detectors.alert.Finding;
import dev.mamori.detectors.alert.ObserverInput;
import dev.mamori.detectors.alert.Rule;
import dev.mamori.detectors.alert.Severity;
import dev.mamori.detectors.rule.Detection;
import dev.mamori.detectors.rule.OptionSpec;
import dev.mamori.detectors.rule.RuleSpec;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code mail.executable_attachment}: an attachment whose name has an executable extension, also
 * inside a ZIP archive; a name with a document extension before the executable one
 * ({@code invoice.pdf.exe}) or with a right-to-left override or other invisible character hiding
 * it is high; so is an executable MIME type with no telling name.
 */
public final class MailExecutableAttachment implements Detection<MailMessage> {

    public static final Rule RULE = new Rule("mail.executable_attachment", Severity.MEDIUM, "T1566.001");

    /** The rule's own description: the sensor builds it from this, options and all. */
    public static final RuleSpec<MailMessage> SPEC = RuleSpec.of(
            RULE,
            MailMessage.class,
            (ctx, o) -> new MailExecutableAttachment(
                    new HashSet<>(o.get().words("extensions")), ctx.alerts(), ctx.input(), ctx.clock()),
            OptionSpec.words("extensions", List.copyOf(new TreeSet<>(Executables.DEFAULT_EXTENSIONS))));

    private final Set<String> extensions;
    private final AlertFactory alerts;
    private final ObserverInput input;
    private final Clock clock;

    public MailExecutableAttachment(Set<String> extensions, AlertFactory alerts, ObserverInput input, Clock clock) {
        this.extensions = extensions.stream()
                .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .collect(Collectors.toUnmodifiableSet());
        this.alerts = alerts;
        this.input = input;
        this.clock = clock;
    }

    @Override
    public Rule rule() {
        return RULE;
    }

    @Override
    public void inspect(MailMessage m, AlertSink sink) {
        for (MailMessage.Attachment a : m.attachments()) {
            Severity s = judge(a);
            if (s != null) {
                String shown = a.container() == null ? String.valueOf(a.name()) : a.container() + " > " + a.name();
                sink.found(new Finding(RULE.id(), alerts.catalog().reason(RULE.id(), shown)));
                sink.emit(MailAlerts.start(alerts, RULE, input, m, clock)
                        .severity(s)
                        .field(AlertField.FILE_NAME, a.name() == null ? a.contentType() : a.name())
                        .args(m.fromAddress() == null ? m.envelopeFrom() : m.fromAddress(), shown)
                        .build());
                return; // one alert per message, for its first executable
            }
        }
    }

    /** Null when harmless; otherwise how bad. */
    Severity judge(MailMessage.Attachment a) {
        if (a.name() == null) {
            return Executables.isExecutableType(a.contentType()) ? Severity.HIGH : null;
        }
        boolean hidden = Executables.hasInvisible(a.name());
        String clean = Executables.withoutInvisible(a.name());
        boolean executable = extensions.contains(Executables.extension(clean));
        if (hidden
                && (executable
                        || extensions.contains(Executables.extension(
                                new StringBuilder(clean).reverse().toString())))) {
            return Severity.HIGH;
        }
        if (!executable) {
            return Executables.isExecutableType(a.contentType()) ? Severity.HIGH : null;
        }
        String previous = Executables.previousExtension(clean);
        boolean disguised = !previous.isEmpty()
                && !extensions.contains(previous)
                && previous.length() <= 4
                && previous.chars().allMatch(Character::isLetter);
        return disguised || a.container() != null ? Severity.HIGH : Severity.MEDIUM;
    }
}
